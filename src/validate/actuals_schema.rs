//! JSON Schemas of a period form's files (`period.json`, `actuals.json`), made from the
//! actuals fields described once ([`crate::model::actuals`]) and the form's own lists:
//! its money rows and columns, qualitative grades, directions, deviation causes and
//! likelihoods, so that an editor completes and checks an actuals file as it is typed.

use serde_json::{Map, Value, json};

use crate::form::evaluation::FieldPlace;
use crate::form::{Form, FormKind};
use crate::model::actuals::{ActualField, INDICATOR_FIELDS, MONEY_COLUMN_LABELS, PERIOD_FIELDS, PROJECT_FIELDS};
use crate::score::Direction;

/// The schema of `period.yaml` for a period form.
pub fn period(form: &Form) -> Value {
    let mut properties = properties(PERIOD_FIELDS, form.def.kind, &|key| match key {
        "form" => Some(json!({ "const": form.name })),
        "month" => Some(json!({ "type": "integer", "minimum": 1, "maximum": 12 })),
        "allow" => Some(allow()),
        _ => None,
    });
    properties.retain(|_, v| !v.is_null());
    document(properties, &["form"], &format!("期间（{}）", form.def.name))
}

/// The schema of a project's actuals file for a period form.
pub fn actuals(form: &Form) -> Value {
    let evaluation = form.def.evaluation.as_ref();
    let money = evaluation.map(|def| {
        let mut columns = Map::new();
        for key in &def.money_columns {
            let label = MONEY_COLUMN_LABELS.iter().find(|(k, _)| k == key).map(|(_, l)| *l).unwrap_or_default();
            columns.insert(key.clone(), json!({ "type": ["number", "string"], "description": label }));
        }
        let row = json!({ "type": "object", "properties": columns, "additionalProperties": false });
        let rows: Map<String, Value> = def
            .money_rows
            .iter()
            .map(|r| (r.key.clone(), json!({ "description": r.label, "allOf": [row.clone()] })))
            .collect();
        json!({ "type": "object", "properties": rows, "additionalProperties": false })
    });
    let indicator = indicator(form);
    let mut properties = properties(PROJECT_FIELDS, form.def.kind, &|key| match key {
        "money" => money.clone(),
        "indicators" => Some(json!({ "type": "array", "items": indicator.clone() })),
        "allow" => Some(allow()),
        _ => None,
    });
    own_fields(&mut properties, form, FieldPlace::Project);
    document(properties, &["indicators"], &format!("项目实际数据（{}）", form.def.name))
}

/// One indicator's actuals.
fn indicator(form: &Form) -> Value {
    let evaluation = form.def.evaluation.as_ref();
    let scoring = evaluation.and_then(|d| d.scoring.as_ref());
    let monitoring = evaluation.and_then(|d| d.monitoring.as_ref());
    let mut properties = properties(INDICATOR_FIELDS, form.def.kind, &|key| match key {
        "direction" => Some(json!({ "enum": Direction::WORDS })),
        "applies" => Some(json!({ "type": "boolean" })),
        "actual" => scoring.map(|s| {
            let grades: Vec<&str> = s.qualitative.iter().map(|b| b.grade.as_str()).collect();
            json!({ "anyOf": [{ "type": "number" }, { "type": "string" }], "examples": grades })
        }),
        "causes" => monitoring.map(|m| json!({ "type": "array", "items": { "enum": m.causes } })),
        "likelihood" => monitoring.map(|m| json!({ "enum": m.likelihoods })),
        _ => None,
    });
    own_fields(&mut properties, form, FieldPlace::Indicator);
    let mut map = Map::new();
    map.insert("type".into(), json!("object"));
    map.insert("properties".into(), Value::Object(properties));
    map.insert("required".into(), json!(["name"]));
    map.insert("additionalProperties".into(), json!(false));
    Value::Object(map)
}

/// The properties of the fields a kind of period uses, each with its description; a
/// field's own schema where `special` gives one, else any scalar.
fn properties(fields: &[ActualField], kind: FormKind, special: &dyn Fn(&str) -> Option<Value>) -> Map<String, Value> {
    let used = |f: &&ActualField| match kind {
        FormKind::Monitoring => f.monitoring,
        _ => f.year_end,
    };
    fields
        .iter()
        .filter(used)
        .map(|f| {
            let mut value = special(f.key).unwrap_or_else(|| json!({ "type": ["string", "number"] }));
            if let Some(map) = value.as_object_mut() {
                map.insert("description".into(), json!(f.label));
            }
            (f.key.to_string(), value)
        })
        .collect()
}

/// The form's own fields at `place` (`evaluation.fields`), each a text.
fn own_fields(properties: &mut Map<String, Value>, form: &Form, place: FieldPlace) {
    for field in form.def.evaluation.iter().flat_map(|d| d.fields_on(place)) {
        properties.insert(field.key.clone(), json!({ "type": ["string", "number"], "description": field.label }));
    }
}

/// The names of the warnings an `allow` list may name.
fn allow() -> Value {
    let names: Vec<&str> = crate::validate::rules().iter().map(|r| r.name).filter(|n| !n.is_empty()).collect();
    json!({ "type": "array", "items": { "enum": names } })
}

/// The top level of a schema.
fn document(properties: Map<String, Value>, required: &[&str], title: &str) -> Value {
    json!({
        "$schema": super::json_schema::DRAFT,
        "title": format!("jixiao：{title}"),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}
