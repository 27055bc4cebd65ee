//! A spec as a flat list of named fields, in the order the form prints them: what the
//! review compares key by key. Each field knows how its values differ in number (money,
//! percentage points, an indicator value's unit) so that a change can state its delta.

use crate::form::Form;
use crate::model::catalog::{self, FieldType, Holds, Need, describe};
use crate::model::{DepartmentSpec, IndicatorSpec, ProjectSpec, Text, Texts};

/// How the values of a field are compared as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Text only.
    Text,
    /// An amount in the year's money unit.
    Money,
    /// A cumulative percentage (the spending plan): differences are percentage points.
    Percent,
    /// A 指标值: a quantity with its own unit, or a qualitative value.
    IndicatorValue,
    /// A bare number (e.g. 权重).
    Number,
}

/// One field of a spec: its key path (`purpose`, `spending_plan.3`, `narrative.goals.2.title`),
/// its Chinese label, its value as printed, and how it is measured.
#[derive(Debug, Clone)]
pub struct Field {
    /// Stable key path.
    pub key: String,
    /// Chinese label.
    pub label: String,
    /// Value as printed (trimmed).
    pub value: String,
    /// How values compare as numbers.
    pub measure: Measure,
}

fn field(key: impl Into<String>, label: impl Into<String>, value: &Text, measure: Measure) -> Field {
    Field { key: key.into(), label: label.into(), value: value.value.clone(), measure }
}

fn optional(fields: &mut Vec<Field>, key: &str, label: &str, value: Option<&Text>, measure: Measure) {
    if let Some(value) = value {
        fields.push(field(key, label, value, measure));
    }
}

/// How a field of `kind` is measured.
fn measure(kind: FieldType) -> Measure {
    match kind {
        FieldType::Money => Measure::Money,
        FieldType::Percent => Measure::Percent,
        FieldType::Number => Measure::Number,
        FieldType::Quantity => Measure::IndicatorValue,
        _ => Measure::Text,
    }
}

/// A project's header fields (everything but its code and indicators) in the catalog's
/// order, spending plan in the form's checkpoint order, then the form's own fields.
pub fn project(spec: &ProjectSpec, form: &Form) -> Vec<Field> {
    let mut fields = Vec::new();
    for about in catalog::PROJECT.iter().filter(|a| a.key != "code") {
        match about.holds {
            Holds::Text => optional(&mut fields, about.key, about.label, spec.text(about.key), measure(about.kind)),
            Holds::Plan => plan(&mut fields, spec, form),
            Holds::Parts => {
                for part in about.parts.iter().filter(|_| spec.has_block(about.key)) {
                    let label = match about.joined {
                        Some(_) => format!("{}（{}）", about.label, part.label),
                        None => part.label.to_string(),
                    };
                    let key = format!("{}.{}", about.key, part.key);
                    optional(&mut fields, &key, &label, spec.part(about.key, part.key), measure(part.kind));
                }
            }
            Holds::Indicators | Holds::Allow => {}
        }
    }
    own(&mut fields, &spec.texts, |key| catalog::project(key).is_some());
    for (key, rows) in &spec.rows {
        for (n, row) in rows.iter().enumerate() {
            for (column, value) in row {
                let path = format!("rows.{}.{}.{}", key.value, n + 1, column.value);
                fields.push(field(
                    path,
                    format!("{} 第 {} 行 {}", key.value, n + 1, column.value),
                    value,
                    Measure::Text,
                ));
            }
        }
    }
    fields
}

/// The spending plan's cells, in the form's checkpoint order (then other months).
fn plan(fields: &mut Vec<Field>, spec: &ProjectSpec, form: &Form) {
    let empty = crate::model::SpendingPlan::default();
    let plan = spec.spending_plan.as_ref().map(|p| &p.value).unwrap_or(&empty);
    let mut months: Vec<u32> = form.def.checkpoints.iter().map(|c| c.month).collect();
    for (key, _) in &plan.entries {
        if let Some(month) = crate::model::SpendingPlan::month(&key.value)
            && !months.contains(&month)
        {
            months.push(month);
        }
    }
    for month in months {
        if let Some(value) = plan.get(month) {
            let checkpoint = form.def.checkpoints.iter().find(|c| c.month == month);
            let when = checkpoint.map(|c| c.label.clone()).unwrap_or_else(|| format!("{month} 月底"));
            let mut f =
                field(format!("spending_plan.{month}"), format!("资金支出计划 {when}"), value, Measure::Percent);
            f.value = format!("{}%", f.value.trim_end_matches(['%', '％']).trim());
            fields.push(f);
        }
    }
}

/// An indicator's fields (its place and name are compared separately).
pub fn indicator(spec: &IndicatorSpec) -> Vec<Field> {
    let mut fields = Vec::new();
    for about in catalog::INDICATOR.iter().filter(|a| a.need != Need::Core || a.key == "value") {
        optional(&mut fields, about.key, about.label, spec.text(about.key), measure(about.kind));
    }
    own(&mut fields, &spec.texts, |key| catalog::indicator(key).is_some());
    fields
}

/// The form's own fields (those `builtin` does not know), under their keys (the label
/// is the form's; the key is shown).
fn own(fields: &mut Vec<Field>, texts: &Texts, builtin: impl Fn(&str) -> bool) {
    for (key, value) in texts.iter().filter(|(key, _)| !builtin(&key.value)) {
        fields.push(field(format!("extra.{}", key.value), key.value.clone(), value, Measure::Text));
    }
}

/// The department file's fields: identity, cover, headings, the narrative item by item.
pub fn department(spec: &DepartmentSpec) -> Vec<Field> {
    let mut fields = Vec::new();
    optional(&mut fields, "form", describe("form"), spec.form.as_ref(), Measure::Text);
    fields.push(Field {
        key: "year".into(),
        label: describe("year").into(),
        value: spec.year.value.to_string(),
        measure: Measure::Text,
    });
    fields.push(field("department.code", "部门编码", &spec.department.code, Measure::Text));
    fields.push(field("department.name", "部门名称", &spec.department.name, Measure::Text));
    optional(&mut fields, "money_unit", describe("money_unit"), spec.money_unit.as_ref(), Measure::Text);
    optional(&mut fields, "date", describe("date"), spec.date.as_ref(), Measure::Text);
    if let Some(cover) = &spec.cover {
        optional(&mut fields, "cover.title", "封面标题", cover.title.as_ref(), Measure::Text);
        optional(&mut fields, "cover.compiled_by", "封面编制单位", cover.compiled_by.as_ref(), Measure::Text);
    }
    if let Some(h) = &spec.headings {
        for (key, value) in
            [("goals", &h.goals), ("tasks", &h.tasks), ("summary", &h.summary), ("projects", &h.projects)]
        {
            optional(
                &mut fields,
                &format!("headings.{key}"),
                &format!("章节标题（{}）", describe(key)),
                value.as_ref(),
                Measure::Text,
            );
        }
    }
    let narrative = &spec.narrative;
    fields.push(field("narrative.intro", "部门整体绩效目标（引言）", &narrative.intro, Measure::Text));
    for (n, goal) in narrative.goals.iter().enumerate() {
        let n = n + 1;
        fields.push(field(format!("narrative.goals.{n}.title"), format!("目标 {n} 标题"), &goal.title, Measure::Text));
        fields.push(field(
            format!("narrative.goals.{n}.goal"),
            format!("目标 {n} 绩效目标"),
            &goal.goal,
            Measure::Text,
        ));
        fields.push(field(
            format!("narrative.goals.{n}.indicator"),
            format!("目标 {n} 绩效指标"),
            &goal.indicator,
            Measure::Text,
        ));
    }
    for (n, task) in narrative.tasks.iter().enumerate() {
        fields.push(field(format!("narrative.tasks.{}", n + 1), format!("重点工作 {}", n + 1), task, Measure::Text));
    }
    fields
}
