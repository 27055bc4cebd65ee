//! The shape of a spec file as data: which keys a map may have, which are required, and
//! what each holds. [`check`] walks a parsed tree ([`crate::yaml::tree`]) and reports
//! every problem of the file at once: each unknown key (with the closest known one),
//! each missing required field, each value of the wrong type or left empty. Only a file
//! without such problems is then read into the typed model, which cannot fail on them.
//!
//! A project's fields depend on its form ([`FormFields`]): a field the form does not have
//! is an unknown key, a field the form requires is a missing one when absent. The
//! fields and their Chinese names come from the field catalog ([`crate::model::catalog`],
//! in its order, so messages list them as the catalog does); a test checks that what the
//! model reads itself is among them.

use std::path::Path;

use serde_saphyr::Spanned;

use crate::diag::{Diagnostic, rules};
use crate::form::fields::FormFields;
use crate::model::catalog::{self, FieldType, Holds};
use crate::suggest;
use crate::yaml::span_of;
use crate::yaml::tree::{Node, Value};

/// What a value must be.
#[derive(Debug, Clone)]
pub enum Shape {
    /// A piece of text (any scalar).
    Text,
    /// A whole number.
    Integer,
    /// A map with these fields.
    Map(Vec<Field>),
    /// A list of items of one shape.
    List(Box<Shape>),
    /// The spending plan: any keys (checked later against the form), text values.
    Plan,
}

/// One key of a map.
#[derive(Debug, Clone)]
pub struct Field {
    /// The key.
    pub key: String,
    /// What it is called in Chinese (the form's label for a form's field).
    pub label: String,
    /// Whether it must be written.
    pub required: bool,
    /// What its value must be.
    pub shape: Shape,
}

fn required(key: &str, shape: Shape) -> Field {
    Field { key: key.to_string(), label: catalog::describe(key).to_string(), required: true, shape }
}

fn optional(key: &str, shape: Shape) -> Field {
    Field { key: key.to_string(), label: catalog::describe(key).to_string(), required: false, shape }
}

/// A field a form declares, under the form's label.
fn declared(field: &crate::form::fields::Field, shape: Shape) -> Field {
    Field { key: field.key.clone(), label: field.label.clone(), required: field.required, shape }
}

fn texts() -> Shape {
    Shape::List(Box::new(Shape::Text))
}

/// `department.yaml` of a form with these fields (its own department fields last but
/// `allow`).
pub fn department(form: &FormFields) -> Vec<Field> {
    let mut fields = department_builtin(form);
    let allow = fields.pop();
    fields.extend(form.department.iter().map(|f| declared(f, Shape::Text)));
    fields.extend(allow);
    fields
}

fn department_builtin(form: &FormFields) -> Vec<Field> {
    vec![
        optional("form", Shape::Text),
        required("year", Shape::Integer),
        required("department", Shape::Map(department_id(form))),
        optional("money_unit", Shape::Text),
        optional("date", Shape::Text),
        optional("cover", Shape::Map(cover())),
        optional("headings", Shape::Map(headings())),
        required("narrative", Shape::Map(narrative(form))),
        optional("allow", texts()),
    ]
}

fn department_id(form: &FormFields) -> Vec<Field> {
    vec![needed(form.identity.department_code, "code", Shape::Text), required("name", Shape::Text)]
}

/// A field required or optional as the form says.
fn needed(is_required: bool, key: &str, shape: Shape) -> Field {
    if is_required { required(key, shape) } else { optional(key, shape) }
}

fn cover() -> Vec<Field> {
    vec![optional("title", Shape::Text), optional("compiled_by", Shape::Text)]
}

fn headings() -> Vec<Field> {
    ["goals", "tasks", "summary", "projects"].iter().map(|k| optional(k, Shape::Text)).collect()
}

fn narrative(form: &FormFields) -> Vec<Field> {
    vec![
        needed(form.identity.intro, "intro", Shape::Text),
        optional("goals", Shape::List(Box::new(Shape::Map(goal())))),
        optional("tasks", texts()),
    ]
}

fn goal() -> Vec<Field> {
    vec![required("title", Shape::Text), required("goal", Shape::Text), required("indicator", Shape::Text)]
}

/// The shape of a built-in block field.
fn block(key: &str) -> Shape {
    match catalog::project(key) {
        Some(about) if about.holds == Holds::Plan => Shape::Plan,
        Some(about) if about.holds == Holds::Parts => Shape::Map(
            about
                .parts
                .iter()
                .map(|p| Field { key: p.key.into(), label: p.label.into(), required: p.required, shape: Shape::Text })
                .collect(),
        ),
        _ => Shape::Text,
    }
}

/// `projects/<code>.yaml` for a form with these fields: the keys every form has, then
/// the form's own, in the form's order.
pub fn project(form: &FormFields) -> Vec<Field> {
    let mut fields = vec![needed(form.identity.project_code, "code", Shape::Text), required("name", Shape::Text)];
    fields.extend(form.project.iter().map(|f| {
        let shape = if f.kind == FieldType::Rows {
            Shape::List(Box::new(Shape::Map(f.columns.iter().map(|c| declared(c, Shape::Text)).collect())))
        } else {
            block(&f.key)
        };
        declared(f, shape)
    }));
    // The indicators follow the fields the catalog puts before them (the goals), as on
    // the tables.
    let place = |key: &str| catalog::PROJECT.iter().position(|a| a.key == key);
    let after = fields.iter().rposition(|f| place(&f.key).is_some_and(|p| Some(p) < place("indicators"))).unwrap_or(1);
    fields.insert(after + 1, optional("indicators", Shape::List(Box::new(Shape::Map(indicator(form))))));
    fields.push(optional("allow", texts()));
    fields
}

/// One indicator of a form with these fields.
fn indicator(form: &FormFields) -> Vec<Field> {
    let mut fields =
        vec![required("level1", Shape::Text), required("level2", Shape::Text), required("name", Shape::Text)];
    fields.extend(form.indicator.iter().map(|f| declared(f, Shape::Text)));
    // The value follows its description, as in the table's columns.
    let after = fields.iter().position(|f| f.key == "description").unwrap_or(2);
    fields.insert(after + 1, required("value", Shape::Text));
    // On a form with several indicator tables, each row names its own.
    if !form.tables.is_empty() {
        fields.insert(after + 2, required("table", Shape::Text));
    }
    fields
}

/// Every shape problem of a file whose top level must have `fields`.
pub fn check(path: &Path, text: &str, root: &Node, fields: &[Field]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    Checker { path, text, found: &mut found }.node(root, &Shape::Map(fields.to_vec()), true, None);
    found
}

struct Checker<'a> {
    path: &'a Path,
    text: &'a str,
    found: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn at<T>(&self, node: &Spanned<T>) -> Option<std::ops::Range<usize>> {
        Some(span_of(self.text, node))
    }

    /// Checks a value; an empty required one is reported at its key, when it has one.
    fn node(&mut self, node: &Node, shape: &Shape, required: bool, key: Option<&Spanned<String>>) {
        match (&node.value, shape) {
            // An optional field written without a value is as if not written.
            (Value::Null, _) if !required => {}
            (Value::Null, _) => {
                let at = key.map(|k| self.at(k)).unwrap_or_else(|| self.at(node));
                // A required field named by its key says which; an empty list item may go.
                let diagnostic = match key {
                    Some(k) if matches!(shape, Shape::Text) && k.value.chars().all(|c| c.is_ascii_digit()) => {
                        Diagnostic::new(
                            &rules::E0104,
                            self.path,
                            at,
                            format!("资金支出计划“{} 月底”还没有填写", k.value),
                        )
                        .with_hint("请填写到该月底累计支出的百分比")
                    }
                    Some(k) => Diagnostic::new(
                        &rules::E0104,
                        self.path,
                        at,
                        format!("“{}”还没有填写", crate::model::catalog::describe(&k.value)),
                    )
                    .with_hint("这是必填内容，请填写"),
                    None => Diagnostic::new(&rules::E0104, self.path, at, "此字段的值是空的")
                        .with_hint("请填写内容；确实没有内容时请删除这一行"),
                };
                self.found.push(diagnostic);
            }
            (Value::Scalar(_), Shape::Text) => {}
            (Value::Scalar(s), Shape::Integer) if s.trim().parse::<u32>().is_ok() => {}
            (Value::Map(entries), Shape::Map(fields)) => self.map(node, entries, fields),
            (Value::Map(entries), Shape::Plan) => {
                for (key, value) in entries {
                    self.node(value, &Shape::Text, true, Some(key));
                }
            }
            (Value::List(items), Shape::List(item)) => {
                for value in items {
                    self.node(value, item, true, None);
                }
            }
            (_, expected) => {
                let expected = match expected {
                    Shape::Text => "文字",
                    Shape::Integer => "整数",
                    Shape::Map(_) | Shape::Plan => "键值对（`键: 值`）",
                    Shape::List(_) => "列表（以 `- ` 开头的若干行）",
                };
                self.found.push(Diagnostic::new(
                    &rules::E0102,
                    self.path,
                    self.at(node),
                    format!("类型不对：这里应是{expected}"),
                ));
            }
        }
    }

    fn map(&mut self, node: &Node, entries: &[(Spanned<String>, Node)], fields: &[Field]) {
        // A misspelt key is one problem: its "did you mean" field is not reported missing.
        let mut suggested: Vec<&str> = Vec::new();
        for (key, value) in entries {
            match fields.iter().find(|f| f.key == key.value) {
                Some(field) => self.node(value, &field.shape, field.required, Some(key)),
                None => {
                    suggested.extend(suggest::closest(&key.value, fields.iter().map(|f| f.key.as_str())));
                    self.found.push(unknown_field(self.path, self.at(key), &key.value, fields));
                }
            }
        }
        // A missing field is reported where it would be added: at the map's last key.
        let last = entries.last().map(|(key, _)| self.at(key)).unwrap_or_else(|| self.at(node));
        for field in fields.iter().filter(|f| f.required && !suggested.contains(&f.key.as_str())) {
            if !entries.iter().any(|(key, _)| key.value == field.key) {
                self.found.push(
                    Diagnostic::new(
                        &rules::E0104,
                        self.path,
                        last.clone(),
                        format!("缺少必填字段 `{}`（{}）", field.key, field.label),
                    )
                    .with_hint(format!("请在此处添加一行 `{}: …`", field.key)),
                );
            }
        }
    }
}

/// E0103 for `field`, with the closest known key and the list of those allowed here.
pub fn unknown_field(path: &Path, span: Option<std::ops::Range<usize>>, field: &str, fields: &[Field]) -> Diagnostic {
    let expected: Vec<(&str, &str)> = fields.iter().map(|f| (f.key.as_str(), f.label.as_str())).collect();
    crate::yaml::unknown_among(path, span, field, &expected)
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;

    use super::*;
    use crate::model;

    /// The keys serde expects of `T`: what its derived `Deserialize` passes to
    /// `deserialize_struct`, captured by a deserializer that stops there.
    fn serde_keys<T: DeserializeOwned>() -> Vec<String> {
        #[derive(Debug)]
        struct Keys(Vec<String>);
        impl std::fmt::Display for Keys {
            fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "{:?}", self.0)
            }
        }
        impl std::error::Error for Keys {}
        impl serde::de::Error for Keys {
            fn custom<M: std::fmt::Display>(_: M) -> Self {
                Keys(Vec::new())
            }
        }
        struct Capture;
        impl<'de> serde::Deserializer<'de> for Capture {
            type Error = Keys;
            fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Keys> {
                Err(Keys(Vec::new()))
            }
            fn deserialize_struct<V: serde::de::Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Keys> {
                Err(Keys(fields.iter().map(|f| f.to_string()).collect()))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
                unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
            }
        }
        T::deserialize(Capture).err().expect("stops at the struct").0
    }

    fn keys(fields: &[Field]) -> Vec<String> {
        fields.iter().map(|f| f.key.to_string()).collect()
    }

    fn map(shape: &Shape) -> &[Field] {
        match shape {
            Shape::Map(fields) => fields,
            Shape::List(item) => map(item),
            _ => panic!("a map"),
        }
    }

    fn field<'a>(fields: &'a [Field], key: &str) -> &'a Shape {
        &fields.iter().find(|f| f.key == key).unwrap().shape
    }

    #[test]
    fn the_shapes_agree_with_the_model() {
        let department = department(&FormFields::default());
        assert_eq!(keys(&department), serde_keys::<model::DepartmentSpec>());
        assert_eq!(keys(map(field(&department, "department"))), serde_keys::<model::DepartmentId>());
        assert_eq!(keys(map(field(&department, "cover"))), serde_keys::<model::Cover>());
        assert_eq!(keys(map(field(&department, "headings"))), serde_keys::<model::Headings>());
        let narrative = map(field(&department, "narrative"));
        assert_eq!(keys(narrative), serde_keys::<model::Narrative>());
        assert_eq!(keys(map(field(narrative, "goals"))), serde_keys::<model::DepartmentGoal>());
        // The seed's form has every built-in field, in the catalog's order; the model
        // reads some of them itself (the others are its texts).
        let catalog_keys = |about: &[crate::model::catalog::About]| -> Vec<String> {
            about.iter().map(|a| a.key.to_string()).collect()
        };
        let project = project(&FormFields::default());
        assert_eq!(keys(&project), catalog_keys(crate::model::catalog::PROJECT));
        assert!(serde_keys::<model::ProjectSpec>().iter().all(|k| keys(&project).contains(k)));
        assert_eq!(keys(map(field(&project, "period"))), serde_keys::<model::Period>());
        assert_eq!(keys(map(field(&project, "funds"))), serde_keys::<model::Funds>());
        // `table` is a field of forms with several indicator tables only.
        let indicator = keys(map(field(&project, "indicators")));
        assert_eq!(indicator, catalog_keys(crate::model::catalog::INDICATOR));
        assert!(serde_keys::<model::IndicatorSpec>().iter().all(|k| k == "table" || indicator.contains(k)));
    }

    #[test]
    fn every_problem_of_a_file_at_once() {
        let text = "code: \"1\"\nname: [a, b]\npurpse: 用途\nspending_plan: {3: 10}\ngoal:\nindicators:\n  - level1: 产出指标\n    levl2: 数量指标\n";
        let tree: Node = crate::yaml::parse(Path::new("p.yaml"), text).unwrap();
        let found = check(Path::new("p.yaml"), text, &tree, &project(&FormFields::default()));
        let codes: Vec<&str> = found.iter().map(|d| d.code()).collect();
        // name is a list, purpse is unknown, goal is empty, levl2 unknown, and the
        // indicator lacks name, description and value.
        assert_eq!(codes, ["E0102", "E0103", "E0104", "E0103", "E0104", "E0104", "E0104"], "{found:#?}");
    }
}
