//! Two flat field lists ([`super::flat`]) compared: each field that differs, with its
//! delta in number and, for a long text, the spans that changed.

use std::collections::BTreeMap;

use super::flat::{Field, Measure};
use super::{FieldChange, delta, text_diff};

/// Field changes between two field lists, in the new list's order, then fields written
/// only in the old one. Fields with the same key (two indicators of one name) are paired
/// in the order they are written: the first with the first.
pub fn changes(old: &[Field], new: &[Field], money_unit: &str) -> Vec<FieldChange> {
    let mut old_by_key: BTreeMap<&str, Vec<&Field>> = BTreeMap::new();
    for field in old {
        old_by_key.entry(&field.key).or_default().push(field);
    }
    let mut taken: BTreeMap<&str, usize> = BTreeMap::new();
    let mut found = Vec::new();
    for field in new {
        let nth = taken.entry(field.key.as_str()).or_default();
        let before = old_by_key.get(field.key.as_str()).and_then(|fields| fields.get(*nth)).map(|f| f.value.as_str());
        *nth += 1;
        if before != Some(field.value.as_str()) {
            found.push(change(field, before, Some(&field.value), money_unit));
        }
    }
    // In the old list's order: each field past as many of its key as the new list has.
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for field in old {
        let nth = seen.entry(field.key.as_str()).or_default();
        if *nth >= taken.get(field.key.as_str()).copied().unwrap_or(0) {
            found.push(change(field, Some(&field.value), None, money_unit));
        }
        *nth += 1;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, value: &str) -> Field {
        Field { key: key.into(), label: key.into(), value: value.into(), measure: Measure::Text }
    }

    #[test]
    fn fields_of_one_key_pair_in_order() {
        // Two indicators of one name, each as it was: no change.
        let both =
            [field("indicators.无纸化办公比例.actual", "54 %"), field("indicators.无纸化办公比例.actual", "60 %")];
        assert!(changes(&both, &both, "万元").is_empty());
        // The second changed: only it.
        let edited = [both[0].clone(), field("indicators.无纸化办公比例.actual", "61 %")];
        let found = changes(&both, &edited, "万元");
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].old.as_deref(), found[0].new.as_deref()), (Some("60 %"), Some("61 %")));
        // The second removed: it, as removed.
        let found = changes(&both, &both[..1], "万元");
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].old.as_deref(), found[0].new.as_deref()), (Some("60 %"), None));
    }
}
