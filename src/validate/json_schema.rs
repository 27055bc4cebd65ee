//! JSON Schemas (draft-07, what yaml-language-server reads) of a form's spec files, made
//! from the same field tree that `check` uses ([`crate::spec::schema`]) and the form's
//! declarations: every key with its Chinese description, the form's own fields, the
//! 一级/二级 names (and which 二级 belong to which 一级), the checkpoints of the spending
//! plan, choices. An editor then completes keys and names, shows the description on
//! hover and underlines what has the wrong shape; `jixiao check` still checks everything
//! (numbers, sums, lints).

use serde_json::{Map, Value, json};

use crate::form::Form;
use crate::form::fields::Field as Declared;
use crate::model::catalog::FieldType;
use crate::spec::schema::{self, Field, Shape};

/// The draft the schemas follow.
pub const DRAFT: &str = "http://json-schema.org/draft-07/schema#";

/// The schema of `department.yaml` for `form`.
pub fn department(form: &Form) -> Value {
    let fields = schema::department(&form.fields);
    let mut root = object(&fields, form, &form.fields.department);
    if let Some(properties) = root.get_mut("properties").and_then(Value::as_object_mut) {
        properties.insert("form".into(), json!({ "const": form.name, "description": "表样（templates/ 下的目录名）" }));
    }
    document(root, &format!("department.yaml（{}）", form.def.name))
}

/// The schema of `projects/<code>.yaml` for `form`.
pub fn project(form: &Form) -> Value {
    let fields = schema::project(&form.fields);
    document(object(&fields, form, &form.fields.project), &format!("项目规格（{}）", form.def.name))
}

/// The top level: the draft, a title, and the object.
fn document(mut root: Value, title: &str) -> Value {
    if let Some(map) = root.as_object_mut() {
        map.insert("$schema".into(), json!(DRAFT));
        map.insert("title".into(), json!(format!("jixiao：{title}")));
    }
    root
}

/// A map with `fields`; `declared` are the form's declarations for these keys.
fn object(fields: &[Field], form: &Form, declared: &[Declared]) -> Value {
    let mut properties = Map::new();
    for field in fields {
        let decl = declared.iter().find(|d| d.key == field.key);
        let mut value = shape(&field.shape, &field.key, form, decl);
        if let Some(map) = value.as_object_mut() {
            map.insert("description".into(), json!(description(field, decl)));
        }
        properties.insert(field.key.clone(), value);
    }
    let required: Vec<&str> = fields.iter().filter(|f| f.required).map(|f| f.key.as_str()).collect();
    let mut map = Map::new();
    map.insert("type".into(), json!("object"));
    map.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        map.insert("required".into(), json!(required));
    }
    map.insert("additionalProperties".into(), json!(false));
    Value::Object(map)
}

/// What the hover text says: the label, the kind of value, whether it must be written.
fn description(field: &Field, decl: Option<&Declared>) -> String {
    let kind = decl.map(|d| d.kind).filter(|k| !matches!(k, FieldType::Text | FieldType::Block | FieldType::Rows));
    let notes: Vec<&str> = kind.map(FieldType::describe).into_iter().chain(field.required.then_some("必填")).collect();
    if notes.is_empty() { field.label.clone() } else { format!("{}（{}）", field.label, notes.join("，")) }
}

/// The schema of a value of `shape` under `key`.
fn shape(of: &Shape, key: &str, form: &Form, decl: Option<&Declared>) -> Value {
    match of {
        Shape::Text => text(key, form, decl),
        Shape::Integer => json!({ "type": "integer" }),
        Shape::Map(fields) => {
            let columns = decl.map(|d| d.columns.as_slice()).unwrap_or_default();
            object(fields, form, columns)
        }
        Shape::List(item) => {
            let mut items = shape(item, key, form, decl);
            if key == "indicators" {
                items = indicator(items, form);
            } else if let (Some(decl), Shape::Map(fields)) = (decl, item.as_ref()) {
                items = object(fields, form, &decl.columns);
            }
            json!({ "type": "array", "items": items })
        }
        Shape::Plan => plan(form),
    }
}

/// A text: any scalar (YAML reads `2024` as a number); an enum where the form lists the
/// possible values.
fn text(key: &str, form: &Form, decl: Option<&Declared>) -> Value {
    let names = |values: Vec<&str>| json!({ "enum": values });
    match key {
        "level1" => names(form.def.levels.iter().map(|l| l.label.as_str()).collect()),
        "level2" if form.def.levels.iter().all(|l| !l.free) => {
            names(form.def.levels.iter().flat_map(|l| l.slots.iter().map(String::as_str)).collect())
        }
        "allow" => names(crate::validate::rules().iter().map(|r| r.name).filter(|n| !n.is_empty()).collect()),
        "table" if !form.def.indicator_tables.is_empty() => {
            names(form.def.indicator_tables.iter().map(|t| t.key.as_str()).collect())
        }
        _ => match decl.filter(|d| d.kind == FieldType::Choice && !d.choices.is_empty()) {
            Some(decl) => names(decl.choices.iter().map(String::as_str).collect()),
            None => json!({ "type": ["string", "number"] }),
        },
    }
}

/// One indicator: and its 二级 among the slots of its 一级 (for levels without free names).
fn indicator(mut item: Value, form: &Form) -> Value {
    let rules: Vec<Value> = form
        .def
        .levels
        .iter()
        .filter(|l| !l.free)
        .map(|l| {
            json!({
                "if": { "properties": { "level1": { "const": l.label } }, "required": ["level1"] },
                "then": { "properties": { "level2": { "enum": l.slots } } }
            })
        })
        .collect();
    if let (Some(map), false) = (item.as_object_mut(), rules.is_empty()) {
        map.insert("allOf".into(), Value::Array(rules));
    }
    item
}

/// The spending plan: one percentage per checkpoint of the form, by month. Other months
/// are left to `check` (E0308): yaml-language-server reads `3:` as a number, which
/// neither `additionalProperties` nor `propertyNames` would then accept.
fn plan(form: &Form) -> Value {
    if form.def.checkpoints.is_empty() {
        return json!({ "type": "object" });
    }
    let mut properties = Map::new();
    for checkpoint in &form.def.checkpoints {
        properties.insert(
            checkpoint.month.to_string(),
            json!({ "type": ["string", "number"], "description": format!("{}累计支出的百分比", checkpoint.label) }),
        );
    }
    let required: Vec<String> = form.def.checkpoints.iter().map(|c| c.month.to_string()).collect();
    json!({ "type": "object", "properties": properties, "required": required })
}

/// The schema as committed: pretty JSON with a final newline.
pub fn to_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
