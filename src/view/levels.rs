//! The indicator rows of a table grouped into 一级/二级 groups, numbered for the markers
//! by which jixiao fits a table to its pages.

use super::printed::{extra, text, texts};
use super::{IndicatorView, LevelView, Marks, SlotView, ValueView};
use crate::form::{Form, Order};
use crate::model::catalog;
use crate::model::{IndicatorSpec, ProjectSpec};

/// The indicators (of one table, when `table` is given) grouped into the form's 一级/二级
/// slots, rows numbered from `row` on: in the form's order of slots, or, for a form that
/// prints its rows in source order, as they come (consecutive rows of the same 一级 and
/// 二级 grouped).
pub(super) fn levels(form: &Form, spec: &ProjectSpec, table: Option<&str>, row: &mut usize) -> Vec<LevelView> {
    let chosen: Vec<(usize, &IndicatorSpec)> = spec
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, i)| table.is_none_or(|t| i.table.as_ref().is_some_and(|it| it.value.as_str() == t)))
        .collect();
    match form.def.order {
        Order::Source => in_source_order(form, &chosen, row),
        _ => in_form_order(form, &chosen, row),
    }
}

/// One indicator row, numbered `row` (which moves on).
fn indicator(form: &Form, index: usize, i: &IndicatorSpec, row: &mut usize) -> IndicatorView {
    *row += 1;
    IndicatorView {
        row: *row - 1,
        breakable: false,
        name: text(&i.name),
        value: text(&i.value),
        level1: text(&i.level1),
        level2: text(&i.level2),
        texts: texts(catalog::INDICATOR, |key| i.text(key)),
        index,
        marks: Marks::default(),
        extra: extra(|key| i.texts.get(key), &form.fields.indicator),
        parsed: if i.declared_qualitative() {
            ValueView::qualitative()
        } else {
            ValueView::of(&i.value.value, form.fields.value)
        },
    }
}

/// A 一级 group of `slots`.
fn level(label: &str, slots: Vec<SlotView>) -> LevelView {
    LevelView { label: label.to_string(), rows: slots.iter().map(|s| s.rows).sum(), slots, continued: false }
}

/// The rows as they come, consecutive rows of the same 一级 and 二级 grouped.
fn in_source_order(form: &Form, chosen: &[(usize, &IndicatorSpec)], row: &mut usize) -> Vec<LevelView> {
    let mut levels = Vec::new();
    for &(index, i) in chosen {
        let (l1, l2) = (i.level1.value.as_str(), i.level2.value.as_str());
        let same_level = levels.last().is_some_and(|l: &LevelView| l.label == l1);
        if !same_level {
            levels.push(level(l1, Vec::new()));
        }
        let level = levels.last_mut().unwrap_or_else(|| unreachable!("pushed above"));
        if level.slots.last().is_none_or(|s| s.label != l2) {
            level.slots.push(SlotView {
                label: l2.into(),
                rows: 0,
                indicators: Vec::new(),
                row: *row,
                continued: false,
            });
        }
        let slot = level.slots.last_mut().unwrap_or_else(|| unreachable!("pushed above"));
        slot.indicators.push(indicator(form, index, i, row));
        slot.rows += 1;
        level.rows += 1;
    }
    levels
}

/// The rows in the form's order of 一级 and 二级 slots (a slot without rows printed blank
/// when the form says so).
fn in_form_order(form: &Form, chosen: &[(usize, &IndicatorSpec)], row: &mut usize) -> Vec<LevelView> {
    let def = &form.def;
    let mut levels = Vec::new();
    for level in &def.levels {
        // A level with free 二级 names has its declared slots, then those the specs name.
        let mut names: Vec<&str> = level.slots.iter().map(String::as_str).collect();
        if level.free {
            for (_, i) in chosen.iter().filter(|(_, i)| i.level1.value.as_str() == level.label) {
                if !names.contains(&i.level2.value.as_str()) {
                    names.push(i.level2.value.as_str());
                }
            }
        }
        let mut slots = Vec::new();
        for slot in names {
            let first = *row;
            let indicators: Vec<IndicatorView> = chosen
                .iter()
                .filter(|(_, i)| i.level1.value.as_str() == level.label && i.level2.value.as_str() == slot)
                .map(|(index, i)| indicator(form, *index, i, row))
                .collect();
            if indicators.is_empty() && !def.print_empty_slots {
                continue;
            }
            if indicators.is_empty() {
                *row += 1;
            }
            slots.push(SlotView {
                label: slot.to_string(),
                rows: indicators.len().max(1),
                indicators,
                row: first,
                continued: false,
            });
        }
        if !slots.is_empty() {
            levels.push(self::level(&level.label, slots));
        }
    }
    levels
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diag::Sources;
    use crate::form::fields::FormFields;
    use crate::spec::load::parse_spec;
    use crate::view::project;

    fn form() -> Form {
        let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        Form::load(&templates, "hebei-2024", &mut Sources::default()).unwrap()
    }

    fn spec(rows: &[(&str, &str, &str)]) -> ProjectSpec {
        let mut text =
            String::from("code: \"1\"\nname: 项目\npurpose: 用途\nspending_plan: {3: 10}\ngoal: 目标\nindicators:\n");
        for (l1, l2, name) in rows {
            text.push_str(&format!(
                "  - {{level1: {l1}, level2: {l2}, name: {name}, description: 说明, value: 完成}}\n"
            ));
        }
        parse_spec::<ProjectSpec>(Path::new("1.yaml"), &text, &FormFields::default()).unwrap()
    }

    fn shape(levels: &[LevelView]) -> Vec<String> {
        levels
            .iter()
            .flat_map(|l| {
                l.slots.iter().map(move |s| {
                    let names: Vec<&str> = s.indicators.iter().map(|i| i.name.as_str()).collect();
                    format!("{}/{}:{}", l.label, s.label, names.join(","))
                })
            })
            .collect()
    }

    #[test]
    fn rows_in_taxonomy_or_in_source_order() {
        let mut form = form();
        form.def.print_empty_slots = false;
        let spec = spec(&[
            ("效果指标", "社会效益指标", "甲"),
            ("产出指标", "数量指标", "乙"),
            ("产出指标", "数量指标", "丙"),
            ("效果指标", "社会效益指标", "丁"),
        ]);
        let taxonomy = project(&form, 2024, &spec);
        assert_eq!(shape(&taxonomy.levels), ["产出指标/数量指标:乙,丙", "效果指标/社会效益指标:甲,丁"]);
        form.def.order = Order::Source;
        let source = project(&form, 2024, &spec);
        assert_eq!(
            shape(&source.levels),
            ["效果指标/社会效益指标:甲", "产出指标/数量指标:乙,丙", "效果指标/社会效益指标:丁"]
        );
        assert_eq!(source.levels.iter().map(|l| l.rows).collect::<Vec<_>>(), [1, 2, 1]);
    }

    #[test]
    fn free_slots_follow_the_declared_ones() {
        let mut form = form();
        form.def.print_empty_slots = false;
        form.def.levels[2].free = true;
        let spec = spec(&[("满意度指标", "群众满意度", "甲"), ("满意度指标", "服务对象满意度指标", "乙")]);
        assert_eq!(
            shape(&project(&form, 2024, &spec).levels),
            ["满意度指标/服务对象满意度指标:乙", "满意度指标/群众满意度:甲"]
        );
    }
}
