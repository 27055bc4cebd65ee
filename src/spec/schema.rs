//! The shape of a spec file as data: which keys a map may have, which are required, and
//! what each holds. [`check`] walks a parsed tree ([`crate::spec::tree`]) and reports
//! every problem of the file at once: each unknown key (with the closest known one),
//! each missing required field, each value of the wrong type or left empty. Only a file
//! without such problems is then read into the typed model, which cannot fail on them.
//!
//! The fields mirror `spec::model` (a test checks that they agree with what serde
//! expects), in the same order, so messages list them as the model does.

use std::path::Path;

use serde_saphyr::Spanned;

use crate::diag::{Diagnostic, rules};
use crate::spec::fields;
use crate::spec::load::span_of;
use crate::spec::tree::{Node, Value};
use crate::suggest;

/// What a value must be.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A piece of text (any scalar).
    Text,
    /// A whole number.
    Integer,
    /// A map with these fields.
    Map(&'static [Field]),
    /// A list of items of one shape.
    List(&'static Shape),
    /// The spending plan: any keys (checked later against the form), text values.
    Plan,
}

/// One key of a map.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The key.
    pub key: &'static str,
    /// Whether it must be written.
    pub required: bool,
    /// What its value must be.
    pub shape: Shape,
}

const fn required(key: &'static str, shape: Shape) -> Field {
    Field { key, required: true, shape }
}

const fn optional(key: &'static str, shape: Shape) -> Field {
    Field { key, required: false, shape }
}

const TEXTS: Shape = Shape::Text;

/// `department.yaml`.
pub const DEPARTMENT: &[Field] = &[
    optional("form", Shape::Text),
    required("year", Shape::Integer),
    required("department", Shape::Map(DEPARTMENT_ID)),
    optional("money_unit", Shape::Text),
    optional("cover", Shape::Map(COVER)),
    optional("headings", Shape::Map(HEADINGS)),
    required("narrative", Shape::Map(NARRATIVE)),
    optional("allow", Shape::List(&TEXTS)),
];

const DEPARTMENT_ID: &[Field] = &[required("code", Shape::Text), required("name", Shape::Text)];
const COVER: &[Field] = &[optional("title", Shape::Text), optional("compiled_by", Shape::Text)];
const HEADINGS: &[Field] = &[
    optional("goals", Shape::Text),
    optional("tasks", Shape::Text),
    optional("summary", Shape::Text),
    optional("projects", Shape::Text),
];
const NARRATIVE: &[Field] = &[
    required("intro", Shape::Text),
    optional("goals", Shape::List(&Shape::Map(GOAL))),
    optional("tasks", Shape::List(&TEXTS)),
];
const GOAL: &[Field] =
    &[required("title", Shape::Text), required("goal", Shape::Text), required("indicator", Shape::Text)];

/// `projects/<code>.yaml`.
pub const PROJECT: &[Field] = &[
    required("code", Shape::Text),
    required("name", Shape::Text),
    required("purpose", Shape::Text),
    required("spending_plan", Shape::Plan),
    required("goal", Shape::Text),
    optional("mid_term_goal", Shape::Text),
    optional("indicators", Shape::List(&Shape::Map(INDICATOR))),
    optional("competent_dept", Shape::Text),
    optional("implementing_unit", Shape::Text),
    optional("attribute", Shape::Text),
    optional("period", Shape::Map(PERIOD)),
    optional("funds", Shape::Map(FUNDS)),
    optional("allow", Shape::List(&TEXTS)),
];

const PERIOD: &[Field] = &[required("start", Shape::Text), required("end", Shape::Text)];
const FUNDS: &[Field] =
    &[optional("fiscal", Shape::Text), optional("other", Shape::Text), optional("carryover", Shape::Text)];
const INDICATOR: &[Field] = &[
    required("level1", Shape::Text),
    required("level2", Shape::Text),
    required("name", Shape::Text),
    required("description", Shape::Text),
    required("value", Shape::Text),
    optional("basis", Shape::Text),
    optional("value_type", Shape::Text),
    optional("unit", Shape::Text),
    optional("weight", Shape::Text),
    optional("explanation", Shape::Text),
    optional("scoring", Shape::Text),
];

/// Every shape problem of a file whose top level must have `fields`.
pub fn check(path: &Path, text: &str, root: &Node, fields: &'static [Field]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    Checker { path, text, found: &mut found }.node(root, Shape::Map(fields), true, None);
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
    fn node(&mut self, node: &Node, shape: Shape, required: bool, key: Option<&Spanned<String>>) {
        match (&node.value, shape) {
            // An optional field written without a value is as if not written.
            (Value::Null, _) if !required => {}
            (Value::Null, _) => {
                let at = key.map(|k| self.at(k)).unwrap_or_else(|| self.at(node));
                self.found.push(
                    Diagnostic::new(&rules::E0104, self.path, at, "此字段的值是空的")
                        .with_hint("请填写内容；确实没有内容时请删除这一行"),
                );
            }
            (Value::Scalar(_), Shape::Text) => {}
            (Value::Scalar(s), Shape::Integer) if s.trim().parse::<u32>().is_ok() => {}
            (Value::Map(entries), Shape::Map(fields)) => self.map(node, entries, fields),
            (Value::Map(entries), Shape::Plan) => {
                for (key, value) in entries {
                    self.node(value, Shape::Text, true, Some(key));
                }
            }
            (Value::List(items), Shape::List(item)) => {
                for value in items {
                    self.node(value, *item, true, None);
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

    fn map(&mut self, node: &Node, entries: &[(Spanned<String>, Node)], fields: &'static [Field]) {
        // A misspelt key is one problem: its "did you mean" field is not reported missing.
        let mut suggested: Vec<&str> = Vec::new();
        for (key, value) in entries {
            match fields.iter().find(|f| f.key == key.value) {
                Some(field) => self.node(value, field.shape, field.required, Some(key)),
                None => {
                    suggested.extend(suggest::closest(&key.value, fields.iter().map(|f| f.key)));
                    self.found.push(unknown_field(self.path, self.at(key), &key.value, fields));
                }
            }
        }
        // A missing field is reported where it would be added: at the map's last key.
        let last = entries.last().map(|(key, _)| self.at(key)).unwrap_or_else(|| self.at(node));
        for field in fields.iter().filter(|f| f.required && !suggested.contains(&f.key)) {
            if !entries.iter().any(|(key, _)| key.value == field.key) {
                self.found.push(
                    Diagnostic::new(
                        &rules::E0104,
                        self.path,
                        last.clone(),
                        format!("缺少必填字段 `{}`（{}）", field.key, fields::describe(field.key)),
                    )
                    .with_hint(format!("请在此处添加一行 `{}: …`", field.key)),
                );
            }
        }
    }
}

/// E0103 for `field`, with the closest known key and the list of those allowed here.
pub fn unknown_field(path: &Path, span: Option<std::ops::Range<usize>>, field: &str, fields: &[Field]) -> Diagnostic {
    let keys: Vec<&str> = fields.iter().map(|f| f.key).collect();
    unknown_key(path, span, field, &keys)
}

/// E0103 for `field` among `expected` keys.
pub fn unknown_key(path: &Path, span: Option<std::ops::Range<usize>>, field: &str, expected: &[&str]) -> Diagnostic {
    let d = match suggest::closest(field, expected.iter().copied()) {
        Some(best) => {
            let guess = format!("您是不是想写 `{best}`（{}）？", fields::describe(best));
            Diagnostic::new(&rules::E0103, path, span, format!("未知字段 `{field}`，{guess}"))
                .with_label("没有这个字段")
        }
        None => {
            Diagnostic::new(&rules::E0103, path, span, format!("未知字段 `{field}`")).with_label("此处不能使用该字段")
        }
    };
    d.with_hint(format!(
        "此处可用的字段：{}",
        expected.iter().map(|f| format!("{f}（{}）", fields::describe(f))).collect::<Vec<_>>().join("、")
    ))
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;

    use super::*;
    use crate::spec::model;

    /// The keys serde expects of `T`: read from its "unknown field" error.
    fn serde_keys<T: DeserializeOwned>() -> Vec<String> {
        let error = serde_saphyr::from_str::<T>("zzz_not_a_key: 1\n").err().expect("an error");
        match error.without_snippet() {
            serde_saphyr::Error::SerdeUnknownField { expected, .. } => expected.iter().map(|k| k.to_string()).collect(),
            other => panic!("an unknown-field error, got {other:?}"),
        }
    }

    fn keys(fields: &[Field]) -> Vec<String> {
        fields.iter().map(|f| f.key.to_string()).collect()
    }

    #[test]
    fn the_shapes_agree_with_the_model() {
        assert_eq!(keys(DEPARTMENT), serde_keys::<model::DepartmentSpec>());
        assert_eq!(keys(DEPARTMENT_ID), serde_keys::<model::DepartmentId>());
        assert_eq!(keys(COVER), serde_keys::<model::Cover>());
        assert_eq!(keys(HEADINGS), serde_keys::<model::Headings>());
        assert_eq!(keys(NARRATIVE), serde_keys::<model::Narrative>());
        assert_eq!(keys(GOAL), serde_keys::<model::DepartmentGoal>());
        assert_eq!(keys(PROJECT), serde_keys::<model::ProjectSpec>());
        assert_eq!(keys(PERIOD), serde_keys::<model::Period>());
        assert_eq!(keys(FUNDS), serde_keys::<model::Funds>());
        assert_eq!(keys(INDICATOR), serde_keys::<model::IndicatorSpec>());
    }

    #[test]
    fn every_problem_of_a_file_at_once() {
        let text = "code: \"1\"\nname: [a, b]\npurpse: 用途\nspending_plan: {3: 10}\ngoal:\nindicators:\n  - level1: 产出指标\n    levl2: 数量指标\n";
        let tree: Node = crate::spec::load::parse(Path::new("p.yaml"), text).unwrap();
        let found = check(Path::new("p.yaml"), text, &tree, PROJECT);
        let codes: Vec<&str> = found.iter().map(|d| d.code()).collect();
        // name is a list, purpse is unknown, goal is empty, levl2 unknown, and the
        // indicator lacks name, description and value.
        assert_eq!(codes, ["E0102", "E0103", "E0104", "E0103", "E0104", "E0104", "E0104"], "{found:#?}");
    }
}
