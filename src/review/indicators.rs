//! Matching indicators between two versions of a table: by 三级 name within the same
//! 二级 slot, then by name in another slot (a move), then by position within the slot
//! (a renamed indicator); what is left was added or removed.

use super::field_changes::changes;
use super::flat::{self, Field};
use super::{FieldChange, IndicatorDiff, Status};
use crate::form::Form;
use crate::model::IndicatorSpec;

fn slot(i: &IndicatorSpec) -> (&str, &str) {
    (i.level1.value.as_str(), i.level2.value.as_str())
}

fn name(i: &IndicatorSpec) -> &str {
    i.name.value.as_str()
}

/// The changed indicators, in the order the new table prints them (removed ones after
/// the last indicator of their slot).
pub fn compare(old: &[IndicatorSpec], new: &[IndicatorSpec], form: &Form, money_unit: &str) -> Vec<IndicatorDiff> {
    let (old_match, new_match) = matches(old, new);
    let place = |i: &IndicatorSpec| {
        form.def
            .levels
            .iter()
            .flat_map(|level| level.slots.iter().map(move |s| (level.label.as_str(), s.as_str())))
            .position(|s| s == slot(i))
            .unwrap_or(usize::MAX)
    };
    let mut found: Vec<((usize, usize, usize), IndicatorDiff)> = Vec::new();
    for (j, b) in new.iter().enumerate() {
        let key = (place(b), 0, j);
        let diff = match new_match[j] {
            None => Some(one_sided(b, Status::Added, Some(j), money_unit)),
            Some(i) => matched(&old[i], b, j, money_unit),
        };
        found.extend(diff.map(|d| (key, d)));
    }
    for (i, a) in old.iter().enumerate() {
        if old_match[i].is_none() {
            found.push(((place(a), 1, i), one_sided(a, Status::Removed, None, money_unit)));
        }
    }
    found.sort_by_key(|(key, _)| *key);
    found.into_iter().map(|(_, d)| d).collect()
}

/// Which new indicator each old one is (and the other way round): same slot and name,
/// then same name in another slot (moved), then same slot by position among those left
/// (renamed).
fn matches(old: &[IndicatorSpec], new: &[IndicatorSpec]) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut old_match: Vec<Option<usize>> = vec![None; old.len()];
    let mut new_match: Vec<Option<usize>> = vec![None; new.len()];
    let passes: [fn(&IndicatorSpec, &IndicatorSpec) -> bool; 3] =
        [|a, b| slot(a) == slot(b) && name(a) == name(b), |a, b| name(a) == name(b), |a, b| slot(a) == slot(b)];
    for pass in passes {
        for (j, b) in new.iter().enumerate() {
            if new_match[j].is_some() {
                continue;
            }
            if let Some(i) = (0..old.len()).find(|&i| old_match[i].is_none() && pass(&old[i], b)) {
                old_match[i] = Some(j);
                new_match[j] = Some(i);
            }
        }
    }
    (old_match, new_match)
}

/// What changed in an indicator found on both sides (`j`: its place in the new list);
/// `None` when nothing did.
fn matched(a: &IndicatorSpec, b: &IndicatorSpec, j: usize, money_unit: &str) -> Option<IndicatorDiff> {
    let mut fields = changes(&flat::indicator(a), &flat::indicator(b), money_unit);
    if name(a) != name(b) {
        let field =
            Field {
                key: "name".into(), label: "三级指标".into(), value: String::new(), measure: flat::Measure::Text
            };
        fields.insert(0, super::field_changes::change(&field, Some(name(a)), Some(name(b)), money_unit));
    }
    let moved = slot(a) != slot(b);
    if fields.is_empty() && !moved {
        return None;
    }
    let (l1, l2) = slot(a);
    Some(IndicatorDiff {
        status: if moved { Status::Moved } else { Status::Changed },
        level1: slot(b).0.to_string(),
        level2: slot(b).1.to_string(),
        name: name(b).to_string(),
        old_level1: moved.then(|| l1.to_string()),
        old_level2: moved.then(|| l2.to_string()),
        old_name: (name(a) != name(b)).then(|| name(a).to_string()),
        index: Some(j),
        fields,
    })
}

/// An indicator that exists on one side only: every field, the other side empty.
fn one_sided(i: &IndicatorSpec, status: Status, index: Option<usize>, money_unit: &str) -> IndicatorDiff {
    let own = flat::indicator(i);
    let fields: Vec<FieldChange> =
        if status == Status::Added { changes(&[], &own, money_unit) } else { changes(&own, &[], money_unit) };
    IndicatorDiff {
        status,
        level1: slot(i).0.to_string(),
        level2: slot(i).1.to_string(),
        name: name(i).to_string(),
        old_level1: None,
        old_level2: None,
        old_name: None,
        index,
        fields,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diag::Sources;
    use crate::model::ProjectSpec;
    use crate::spec::load::parse_spec;

    /// A project with `(二级, 三级, 指标值)` indicators under 产出指标.
    fn indicators(rows: &[(&str, &str, &str)]) -> Vec<IndicatorSpec> {
        let mut text =
            String::from("code: \"1\"\nname: 项目\npurpose: 用途\nspending_plan: {3: 10}\ngoal: 目标\nindicators:\n");
        for (slot, name, value) in rows {
            text.push_str(&format!(
                "  - {{level1: 产出指标, level2: {slot}, name: {name}, description: 说明, value: \"{value}\"}}\n"
            ));
        }
        parse_spec::<ProjectSpec>(Path::new("1.yaml"), &text, &crate::form::fields::FormFields::default())
            .unwrap()
            .indicators
    }

    fn form() -> Form {
        let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        Form::load(&templates, "hebei-2024", &mut Sources::default()).unwrap()
    }

    fn summary(diffs: &[IndicatorDiff]) -> Vec<String> {
        diffs
            .iter()
            .map(|d| {
                let old = d.old_name.as_deref().or(d.old_level2.as_deref()).unwrap_or("");
                format!("{:?} {}/{} {old}", d.status, d.level2, d.name).trim().to_string()
            })
            .collect()
    }

    #[test]
    fn by_name_in_the_slot_then_in_another_slot_then_by_position() {
        let old = indicators(&[
            ("数量指标", "办件量", "100 件"),
            ("数量指标", "培训次数", "4 次"),
            ("质量指标", "准确率", "100%"),
            ("时效指标", "办结率", "95%"),
        ]);
        let new = indicators(&[
            // 培训次数 now first: order alone is no change.
            ("数量指标", "培训次数", "4 次"),
            ("数量指标", "办件量", "120 件"),
            // 准确率 moved to 时效指标; 办结率 renamed in its slot.
            ("时效指标", "准确率", "100%"),
            ("时效指标", "按时办结率", "95%"),
            ("成本指标", "经费", "5 万元"),
        ]);
        let diffs = compare(&old, &new, &form(), "万元");
        assert_eq!(
            summary(&diffs),
            [
                "Changed 数量指标/办件量",
                "Moved 时效指标/准确率 质量指标",
                "Changed 时效指标/按时办结率 办结率",
                "Added 成本指标/经费",
            ]
        );
        assert_eq!(diffs[0].fields[0].delta.as_ref().unwrap().text, "+20 件");
        assert!(diffs[1].fields.is_empty(), "moved, nothing else changed");
    }

    #[test]
    fn removed_indicators_follow_their_slot() {
        let old = indicators(&[("数量指标", "甲", "1 个"), ("质量指标", "乙", "完成"), ("时效指标", "丙", "完成")]);
        let new = indicators(&[("数量指标", "甲", "1 个"), ("时效指标", "丙", "完成")]);
        assert_eq!(summary(&compare(&old, &new, &form(), "万元")), ["Removed 质量指标/乙"]);
    }
}
