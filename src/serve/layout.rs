//! What the editor page needs to lay out a spec as its form prints it: every field of
//! the file (key, Chinese label, required, shape, choices, whether it is long text) from
//! the same field tree `check` uses, and the form's checkpoints, 一级/二级 lists,
//! indicator tables and column titles.

use serde_json::{Value, json};

use crate::form::fields::FormFields;
use crate::form::{Form, TableDef};
use crate::model::catalog::FieldType;
use crate::spec::schema::{self, Field, Shape};

/// Keys of long texts among the department's fields (the project's come from the form).
const DEPARTMENT_LONG: &[&str] = &["intro", "tasks", "goal", "indicator"];

/// The layout of a project (`department` false) or department file of `form`; `forms`
/// are the installed target forms a department may name (name, title).
pub fn layout(form: &Form, department: bool, forms: &[(String, String)]) -> Value {
    let fields = if department { schema::department(&form.fields) } else { schema::project(&form.fields) };
    let def = &form.def;
    json!({
        "kind": if department { "department" } else { "project" },
        "form": form.name,
        "form_title": def.name,
        "landscape": def.landscape,
        "fields": fields.iter().map(|f| {
            let mut value = field(f, &form.fields, &def.indicator_tables, department, &[]);
            if department && f.key == "form" {
                value["choices"] = json!(forms.iter().map(|(name, _)| name).collect::<Vec<_>>());
                value["choice_labels"] = json!(forms.iter().map(|(name, title)| format!("{title}（{name}）")).collect::<Vec<_>>());
                value["unset"] = json!(format!("（未写明：用默认表样 {}）", form.name));
            }
            value
        }).collect::<Vec<_>>(),
        "help": def.help,
        "table_pages": def.table_pages,
        // What the report prints where the department writes nothing (`{department}`
        // and `{year}` filled in by the page from the file as it is edited).
        "defaults": {
            "cover/title": def.defaults.cover_title,
            "cover/compiled_by": def.defaults.compiled_by,
            "headings/goals": def.defaults.headings.goals,
            "headings/tasks": def.defaults.headings.tasks,
            "headings/summary": def.defaults.headings.summary,
            "headings/projects": def.defaults.headings.projects,
        },
        "checkpoints": def.checkpoints,
        "levels": def.levels,
        "tables": def.indicator_tables,
        "columns": def.columns,
        "labels": def.labels,
    })
}

/// One field; `parents` are the keys above it (`indicators` for an indicator's).
fn field(f: &Field, form: &FormFields, tables: &[TableDef], department: bool, parents: &[&str]) -> Value {
    let declared = if department {
        form.department.iter().find(|d| d.key == f.key)
    } else if parents.first() == Some(&"indicators") {
        form.indicator.iter().find(|d| d.key == f.key)
    } else if parents.is_empty() {
        form.project.iter().find(|d| d.key == f.key)
    } else {
        None
    };
    let kind = declared.map(|d| d.kind);
    let long = match kind {
        Some(kind) => kind == FieldType::FreeText,
        // `headings.tasks` is a heading, not the tasks.
        None => department && parents.first() != Some(&"headings") && DEPARTMENT_LONG.contains(&f.key.as_str()),
    };
    let mut path: Vec<&str> = parents.to_vec();
    path.push(&f.key);
    let mut choices: Vec<String> = declared.map(|d| d.choices.clone()).unwrap_or_default();
    let mut choice_labels: Vec<String> = Vec::new();
    let mut label = f.label.clone();
    // On a form with several indicator tables, each row names its table by key.
    if parents.first() == Some(&"indicators") && f.key == "table" {
        choices = tables.iter().map(|t| t.key.clone()).collect();
        choice_labels = tables.iter().map(|t| t.label.clone()).collect();
        label = "指标表".into();
    }
    json!({
        "key": f.key,
        "label": label,
        "required": f.required,
        "long": long,
        "type": kind.map(|k| k.describe()),
        "choices": choices,
        "choice_labels": choice_labels,
        "shape": shape(&f.shape, form, tables, department, &path, long),
    })
}

fn shape(s: &Shape, form: &FormFields, tables: &[TableDef], department: bool, path: &[&str], long: bool) -> Value {
    match s {
        Shape::Text => json!({ "kind": "text" }),
        Shape::Integer => json!({ "kind": "integer" }),
        Shape::Plan => json!({ "kind": "plan" }),
        Shape::Map(fields) => json!({
            "kind": "map",
            "fields": fields.iter().map(|f| field(f, form, tables, department, path)).collect::<Vec<_>>(),
        }),
        Shape::List(item) => json!({
            "kind": "list",
            "item": shape(item, form, tables, department, path, long),
            "long": long,
        }),
    }
}
