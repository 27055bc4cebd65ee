//! The kinds of spec file (department, project): the shape each must have for a form, and
//! how the form's own fields are taken from a file's tree.

use serde_saphyr::Spanned;

use crate::form::fields::FormFields;
use crate::model::catalog::FieldType;
use crate::model::{DepartmentSpec, ProjectSpec, Text, Texts};
use crate::yaml::location_range;
use crate::yaml::tree::{Node, Value};

/// A kind of spec file: its typed model and the shape of its keys.
pub trait Spec: serde::de::DeserializeOwned + Clone + Send + Sync + 'static {
    /// The top-level fields for a form with these fields (see [`crate::spec::schema`]).
    fn schema(form: &FormFields) -> Vec<crate::spec::schema::Field>;
    /// Takes the texts of the form's scalar fields (those the model has no place of its
    /// own for) from the file's tree and `source` text, once its shape has been checked.
    fn take_extra(&mut self, _tree: &Node, _source: &str, _form: &FormFields) {}
    /// Fills in what the file leaves to its name (a project without a code on a form
    /// without project codes is known by its file name).
    fn identify(&mut self, _path: &std::path::Path) {}
}

impl Spec for DepartmentSpec {
    fn schema(form: &FormFields) -> Vec<crate::spec::schema::Field> {
        crate::spec::schema::department(form)
    }

    fn take_extra(&mut self, tree: &Node, source: &str, form: &FormFields) {
        let Value::Map(entries) = &tree.value else { return };
        self.extra = scalars(entries, source, |key| form.department.iter().any(|f| f.key == key));
    }
}

impl Spec for ProjectSpec {
    fn schema(form: &FormFields) -> Vec<crate::spec::schema::Field> {
        crate::spec::schema::project(form)
    }

    fn identify(&mut self, path: &std::path::Path) {
        if !crate::model::is_written(&self.code) {
            self.code.value = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        }
    }

    fn take_extra(&mut self, tree: &Node, source: &str, form: &FormFields) {
        let Value::Map(entries) = &tree.value else { return };
        // Every scalar field the form declares: built-in texts (`purpose`) and its own.
        let scalar = |key: &str, fields: &[crate::form::fields::Field]| {
            fields.iter().any(|f| f.key == key && !matches!(f.kind, FieldType::Block | FieldType::Rows))
        };
        self.texts = Texts(scalars(entries, source, |key| scalar(key, &form.project)));
        let rows_field = |key: &str| form.project.iter().any(|f| f.key == key && f.kind == FieldType::Rows);
        self.rows = entries
            .iter()
            .filter(|(key, _)| rows_field(&key.value))
            .map(|(key, node)| {
                let rows = match &node.value {
                    Value::List(items) => items
                        .iter()
                        .filter_map(|item| match &item.value {
                            Value::Map(cells) => Some(scalars(cells, source, |_| true)),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                (Text::new(&key.value, key.referenced, key.defined), rows)
            })
            .collect();
        let Some((_, list)) = entries.iter().find(|(k, _)| k.value == "indicators") else { return };
        let Value::List(items) = &list.value else { return };
        for (indicator, item) in self.indicators.iter_mut().zip(items) {
            if let Value::Map(entries) = &item.value {
                indicator.texts = Texts(scalars(entries, source, |key| scalar(key, &form.indicator)));
            }
        }
    }
}

/// The scalar entries of a map whose key passes `keep`, as (key, value) texts, each
/// value as written (see [`written`]).
fn scalars(entries: &[(Spanned<String>, Node)], source: &str, keep: impl Fn(&str) -> bool) -> Vec<(Text, Text)> {
    entries
        .iter()
        .filter(|(key, _)| keep(&key.value))
        .filter_map(|(key, node)| match &node.value {
            Value::Scalar(text) => Some((
                Text::new(&key.value, key.referenced, key.defined),
                Text::new(written(text, node, source), node.referenced, node.defined),
            )),
            _ => None,
        })
        .collect()
}

/// A scalar as the clerk wrote it. The tree reads a plain `10.50` as the number 10.5 (and
/// `007` as 7); a spec keeps numbers as written, so a plain scalar on one line (which
/// holds no quotes, escapes or folding) is taken from the file's text, as serde reads a
/// string field. Quoted, block and folded scalars, and aliases, keep the parsed text.
fn written<'a>(parsed: &'a str, node: &Node, source: &'a str) -> &'a str {
    if node.referenced != node.defined {
        return parsed;
    }
    let raw = source.get(location_range(source, &node.referenced)).unwrap_or_default().trim();
    let plain = !raw.is_empty() && !raw.contains('\n') && !raw.starts_with(['"', '\'', '|', '>', '*', '&', '!']);
    if plain { raw } else { parsed }
}
