//! A spec as stable, readable text, for `git diff` (`jixiao textconv`): every field on a
//! line of its own under its Chinese name, the spending plan in the form's checkpoint
//! order, the indicators in the order the form prints them, values as written. Comments,
//! quoting and indentation do not show, so a diff shows only what changed in the content.

use std::fmt::Write;

use crate::form::Form;
use crate::model::catalog::{self, Holds, Need, describe};
use crate::model::{DepartmentSpec, IndicatorSpec, ProjectSpec, SpendingPlan, Text};

/// One value per line under `label`: a multi-line text keeps its lines, indented.
fn named(out: &mut String, label: &str, value: &Text) {
    let value = value.value.replace('\n', "\n  ");
    let _ = writeln!(out, "{label}：{value}");
}

fn optional(out: &mut String, label: &str, value: Option<&Text>) {
    if let Some(value) = value {
        named(out, label, value);
    }
}

/// A project spec as text; `form` gives the checkpoint and indicator order when known.
pub fn project(spec: &ProjectSpec, form: Option<&Form>) -> String {
    let mut out = String::new();
    for about in catalog::PROJECT {
        match about.holds {
            Holds::Text => optional(&mut out, about.label, spec.text(about.key)),
            Holds::Plan => {
                if let Some(spending_plan) = &spec.spending_plan {
                    let _ = writeln!(out, "{}：{}", about.label, plan(&spending_plan.value, form));
                }
            }
            Holds::Parts if !spec.has_block(about.key) => {}
            Holds::Parts => match about.joined {
                Some(joiner) => {
                    let parts: Vec<&str> = about
                        .parts
                        .iter()
                        .map(|p| spec.part(about.key, p.key).map_or("", |t| t.value.as_str()))
                        .collect();
                    let _ = writeln!(out, "{}：{}", about.label, parts.join(joiner));
                }
                None => {
                    for part in about.parts {
                        optional(&mut out, part.label, spec.part(about.key, part.key));
                    }
                }
            },
            Holds::Indicators | Holds::Allow => {}
        }
    }
    for (key, value) in spec.texts.iter().filter(|(key, _)| catalog::project(&key.value).is_none()) {
        named(&mut out, &own_label(form, &key.value, false), value);
    }
    for (key, rows) in &spec.rows {
        let _ = writeln!(out, "{}：", own_label(form, &key.value, false));
        for (n, row) in rows.iter().enumerate() {
            let columns = form.and_then(|f| f.fields.project_field(&key.value)).map(|f| f.columns.as_slice());
            let label =
                |column: &str| columns.unwrap_or_default().iter().find(|c| c.key == column).map(|c| c.label.clone());
            let cells: Vec<String> = row
                .iter()
                .map(|(k, v)| format!("{}：{}", label(&k.value).unwrap_or(k.value.clone()), v.value.as_str()))
                .collect();
            let _ = writeln!(out, "  {}. {}", n + 1, cells.join("；"));
        }
    }
    for indicator in ordered(&spec.indicators, form) {
        indicator_lines(&mut out, indicator, form);
    }
    allow(&mut out, &spec.allow);
    out
}

/// An indicator: its place and name, then a line per field.
fn indicator_lines(out: &mut String, indicator: &IndicatorSpec, form: Option<&Form>) {
    let _ = writeln!(
        out,
        "\n{} › {} › {}",
        indicator.level1.value.as_str(),
        indicator.level2.value.as_str(),
        indicator.name.value.as_str()
    );
    for about in catalog::INDICATOR.iter().filter(|a| a.need != Need::Core || a.key == "value") {
        if let Some(value) = indicator.text(about.key) {
            out.push_str("  ");
            named(out, about.label, value);
        }
    }
    for (key, value) in indicator.texts.iter().filter(|(key, _)| catalog::indicator(&key.value).is_none()) {
        out.push_str("  ");
        named(out, &own_label(form, &key.value, true), value);
    }
}

/// The label of a form's own field (its key when the form is not known).
fn own_label(form: Option<&Form>, key: &str, indicator: bool) -> String {
    let fields = form.map(|f| if indicator { &f.fields.indicator } else { &f.fields.project });
    fields.and_then(|fields| fields.iter().find(|f| f.key == key)).map(|f| f.label.clone()).unwrap_or(key.to_string())
}

/// The spending plan in the form's checkpoint order (as written when the form is unknown).
fn plan(plan: &SpendingPlan, form: Option<&Form>) -> String {
    let cells: Vec<String> = match form {
        Some(form) => form
            .def
            .checkpoints
            .iter()
            .filter_map(|c| plan.get(c.month).map(|v| format!("{} {}%", c.label, v.value.trim_end_matches('%'))))
            .collect(),
        None => plan.entries.iter().map(|(k, v)| format!("{} 月底 {}%", k.value.as_str(), v.value.as_str())).collect(),
    };
    cells.join("，")
}

/// The indicators in print order: the form's 一级/二级 order, then the list order; those the
/// form does not know at the end, as written.
fn ordered<'a>(indicators: &'a [IndicatorSpec], form: Option<&Form>) -> Vec<&'a IndicatorSpec> {
    let Some(form) = form else { return indicators.iter().collect() };
    let slot = |i: &IndicatorSpec| {
        form.def
            .levels
            .iter()
            .flat_map(|level| level.slots.iter().map(move |slot| (level, slot)))
            .position(|(level, slot)| level.label == i.level1.value && *slot == i.level2.value)
            .unwrap_or(usize::MAX)
    };
    let mut sorted: Vec<&IndicatorSpec> = indicators.iter().collect();
    sorted.sort_by_key(|i| slot(i));
    sorted
}

fn allow(out: &mut String, allow: &[Text]) {
    if !allow.is_empty() {
        let names: Vec<&str> = allow.iter().map(|a| a.value.as_str()).collect();
        let _ = writeln!(out, "\n{}：{}", describe("allow"), names.join("、"));
    }
}

/// A department spec as text.
pub fn department(spec: &DepartmentSpec) -> String {
    let mut out = String::new();
    optional(&mut out, describe("form"), spec.form.as_ref());
    let _ = writeln!(out, "{}：{}", describe("year"), spec.year.value);
    named(&mut out, "部门编码", &spec.department.code);
    named(&mut out, "部门名称", &spec.department.name);
    optional(&mut out, describe("money_unit"), spec.money_unit.as_ref());
    optional(&mut out, describe("date"), spec.date.as_ref());
    if let Some(cover) = &spec.cover {
        optional(&mut out, describe("title"), cover.title.as_ref());
        optional(&mut out, describe("compiled_by"), cover.compiled_by.as_ref());
    }
    if let Some(h) = &spec.headings {
        for (key, value) in
            [("goals", &h.goals), ("tasks", &h.tasks), ("summary", &h.summary), ("projects", &h.projects)]
        {
            if let Some(value) = value {
                let _ = writeln!(out, "章节标题 {}：{}", describe(key), value.value.as_str());
            }
        }
    }
    let narrative = &spec.narrative;
    let _ = writeln!(out, "\n{}：{}", describe("intro"), narrative.intro.value.as_str());
    for (n, goal) in narrative.goals.iter().enumerate() {
        let _ = writeln!(out, "\n目标 {}：{}", n + 1, goal.title.value.as_str());
        out.push_str("  ");
        named(&mut out, describe("goal"), &goal.goal);
        out.push_str("  ");
        named(&mut out, describe("indicator"), &goal.indicator);
    }
    for (n, task) in narrative.tasks.iter().enumerate() {
        let _ = writeln!(out, "\n重点工作 {}：{}", n + 1, task.value.as_str());
    }
    for (key, value) in &spec.extra {
        named(&mut out, &key.value, value);
    }
    allow(&mut out, &spec.allow);
    out
}
