//! Matching indicators between two versions of a table: by 三级 name within the same
//! 二级 slot, then by name in another slot (a move), then by position within the slot
//! (a renamed indicator); what is left was added or removed.

use super::compare::changes;
use super::fields::{self, Field};
use super::{FieldChange, IndicatorDiff, Status};
use crate::form::Form;
use crate::spec::model::IndicatorSpec;

fn slot(i: &IndicatorSpec) -> (&str, &str) {
    (i.level1.value.trim(), i.level2.value.trim())
}

fn name(i: &IndicatorSpec) -> &str {
    i.name.value.trim()
}

/// The changed indicators, in the order the new table prints them (removed ones after
/// the last indicator of their slot).
pub fn compare(old: &[IndicatorSpec], new: &[IndicatorSpec], form: &Form, money_unit: &str) -> Vec<IndicatorDiff> {
    let mut old_match: Vec<Option<usize>> = vec![None; old.len()];
    let mut new_match: Vec<Option<usize>> = vec![None; new.len()];
    fn link(i: usize, j: usize, old_match: &mut [Option<usize>], new_match: &mut [Option<usize>]) {
        old_match[i] = Some(j);
        new_match[j] = Some(i);
    }
    // 1. Same slot, same name.
    for (j, b) in new.iter().enumerate() {
        if let Some(i) =
            (0..old.len()).find(|&i| old_match[i].is_none() && slot(&old[i]) == slot(b) && name(&old[i]) == name(b))
        {
            link(i, j, &mut old_match, &mut new_match);
        }
    }
    // 2. Same name, another slot: moved.
    for (j, b) in new.iter().enumerate() {
        if new_match[j].is_some() {
            continue;
        }
        if let Some(i) = (0..old.len()).find(|&i| old_match[i].is_none() && name(&old[i]) == name(b)) {
            link(i, j, &mut old_match, &mut new_match);
        }
    }
    // 3. Same slot, by position among the unmatched: renamed.
    for (j, b) in new.iter().enumerate() {
        if new_match[j].is_some() {
            continue;
        }
        if let Some(i) = (0..old.len()).find(|&i| old_match[i].is_none() && slot(&old[i]) == slot(b)) {
            link(i, j, &mut old_match, &mut new_match);
        }
    }
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
        match new_match[j] {
            None => found.push((key, one_sided(b, Status::Added, Some(j), money_unit))),
            Some(i) => {
                let a = &old[i];
                let mut fields = changes(&fields::indicator(a), &fields::indicator(b), money_unit);
                if name(a) != name(b) {
                    let field = Field {
                        key: "name".into(),
                        label: "三级指标".into(),
                        value: String::new(),
                        measure: fields::Measure::Text,
                    };
                    fields.insert(0, super::compare::change(&field, Some(name(a)), Some(name(b)), money_unit));
                }
                let moved = slot(a) != slot(b);
                if fields.is_empty() && !moved {
                    continue;
                }
                let (l1, l2) = slot(a);
                found.push((
                    key,
                    IndicatorDiff {
                        status: if moved { Status::Moved } else { Status::Changed },
                        level1: slot(b).0.to_string(),
                        level2: slot(b).1.to_string(),
                        name: name(b).to_string(),
                        old_level1: moved.then(|| l1.to_string()),
                        old_level2: moved.then(|| l2.to_string()),
                        old_name: (name(a) != name(b)).then(|| name(a).to_string()),
                        index: Some(j),
                        fields,
                    },
                ));
            }
        }
    }
    for (i, a) in old.iter().enumerate() {
        if old_match[i].is_none() {
            found.push(((place(a), 1, i), one_sided(a, Status::Removed, None, money_unit)));
        }
    }
    found.sort_by_key(|(key, _)| *key);
    found.into_iter().map(|(_, d)| d).collect()
}

/// An indicator that exists on one side only: every field, the other side empty.
fn one_sided(i: &IndicatorSpec, status: Status, index: Option<usize>, money_unit: &str) -> IndicatorDiff {
    let own = fields::indicator(i);
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
