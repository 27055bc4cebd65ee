//! Spec texts as the templates print them: trimmed, "" where not written, every field a
//! form may print present.

use std::collections::BTreeMap;

use crate::form::fields::Field;
use crate::model::Text;
use crate::model::catalog::{self, FieldType};

/// A text as printed: trimmed.
pub(super) fn text(t: &Text) -> String {
    t.value.clone()
}

/// An optional text as printed: "" when not written.
pub(super) fn optional(t: &Option<Text>) -> String {
    t.as_ref().map(text).unwrap_or_default()
}

/// The form's own fields as printed: every declared one, "" where not written.
pub(super) fn extra<'a>(written: impl Fn(&str) -> Option<&'a Text>, declared: &[Field]) -> BTreeMap<String, String> {
    declared
        .iter()
        .filter(|f| !f.builtin && f.kind != FieldType::Rows)
        .map(|f| (f.key.clone(), written(&f.key).map(text).unwrap_or_default()))
        .collect()
}

/// The built-in text fields of `about` that forms may have, as printed: every one
/// (whether the form has it or not), "" where not written.
pub(super) fn texts<'a>(
    about: &'static [catalog::About],
    written: impl Fn(&str) -> Option<&'a Text>,
) -> BTreeMap<&'static str, String> {
    about
        .iter()
        .filter(|a| a.holds == catalog::Holds::Text && a.need != catalog::Need::Core)
        .map(|a| (a.key, written(a.key).map(text).unwrap_or_default()))
        .collect()
}
