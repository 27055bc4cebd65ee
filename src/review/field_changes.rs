//! Two flat field lists ([`super::flat`]) compared: each field that differs, with its
//! delta in number and, for a long text, the spans that changed.

use std::collections::{BTreeMap, BTreeSet};

use super::flat::{Field, Measure};
use super::{FieldChange, delta, text_diff};

/// Field changes between two field lists, in the new list's order, then fields written
/// only in the old one.
pub fn changes(old: &[Field], new: &[Field], money_unit: &str) -> Vec<FieldChange> {
    let old_by_key: BTreeMap<&str, &Field> = old.iter().map(|f| (f.key.as_str(), f)).collect();
    let new_keys: BTreeSet<&str> = new.iter().map(|f| f.key.as_str()).collect();
    let mut found = Vec::new();
    for field in new {
        let before = old_by_key.get(field.key.as_str()).map(|f| f.value.as_str());
        if before != Some(field.value.as_str()) {
            found.push(change(field, before, Some(&field.value), money_unit));
        }
    }
    for field in old.iter().filter(|f| !new_keys.contains(f.key.as_str())) {
        found.push(change(field, Some(&field.value), None, money_unit));
    }
    found
}

/// One field's change.
pub fn change(field: &Field, old: Option<&str>, new: Option<&str>, money_unit: &str) -> FieldChange {
    let (delta, text_diff) = match (old, new) {
        (Some(a), Some(b)) => (
            delta::of(field.measure, a, b, money_unit),
            (field.measure == Measure::Text && text_diff::is_long(a, b)).then(|| text_diff::segments(a, b)),
        ),
        _ => (None, None),
    };
    FieldChange {
        field: field.key.clone(),
        label: field.label.clone(),
        old: old.map(str::to_string),
        new: new.map(str::to_string),
        delta,
        text_diff,
    }
}
