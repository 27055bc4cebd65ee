//! A project read from a file as spec text: the form's fields in the form's order
//! (code, name, the form's project fields, the indicators last), texts verbatim, with the
//! modeline added by the caller.

use super::Project;
use crate::form::Form;
use crate::grid::flat::Column;
use crate::model::catalog::{self, FieldType};
use crate::spec::edit::{Doc, Item, write_new};

/// The spec document of `project`.
pub fn document(project: &Project, form: &Form) -> Doc {
    let text = |column: Column| project.field(&column).map(|t| Doc::Text(t.to_string()));
    let mut entries = vec![("code".to_string(), Doc::Text(project.code.clone()))];
    if let Some(name) = text(Column::Project("name".into())) {
        entries.push(("name".into(), name));
    }
    for field in &form.fields.project {
        let key = field.key.clone();
        let value = match (key.as_str(), field.kind) {
            ("spending_plan", _) => {
                let months: Vec<(String, Doc)> = form
                    .def
                    .checkpoints
                    .iter()
                    .filter_map(|c| text(Column::Plan(c.month)).map(|v| (c.month.to_string(), v)))
                    .collect();
                (!months.is_empty()).then_some(Doc::Map(months))
            }
            (_, FieldType::Rows) => project.rows.iter().find(|(k, _)| *k == key).map(|(_, rows)| {
                Doc::List(
                    rows.iter()
                        .map(|row| Item {
                            from: None,
                            value: Doc::Map(
                                row.iter()
                                    .filter(|(_, t)| !t.is_empty())
                                    .map(|(k, t)| (k.clone(), Doc::Text(t.clone())))
                                    .collect(),
                            ),
                        })
                        .collect(),
                )
            }),
            (_, FieldType::Block) => {
                let parts: Vec<(String, Doc)> = catalog::project(&key)
                    .map(|a| a.parts)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|p| text(Column::Part(key.clone(), p.key.into())).map(|v| (p.key.to_string(), v)))
                    .collect();
                (!parts.is_empty()).then_some(Doc::Map(parts))
            }
            _ => text(Column::Project(key.clone())),
        };
        if let Some(value) = value {
            entries.push((key, value));
        }
    }
    let mut order: Vec<String> = vec!["table".into(), "level1".into(), "level2".into(), "name".into()];
    let description = form.fields.indicator.iter().any(|f| f.key == "description");
    if description {
        order.push("description".into());
    }
    order.push("value".into());
    order.extend(form.fields.indicator.iter().map(|f| f.key.clone()).filter(|k| k != "description"));
    let indicators = project
        .indicators
        .iter()
        .map(|fields| {
            let get = |key: &str| {
                fields
                    .iter()
                    .find(|(c, _)| match c {
                        Column::Table => key == "table",
                        Column::Indicator(k) => k == key,
                        _ => false,
                    })
                    .map(|(_, t)| t.clone())
            };
            let map = order.iter().filter_map(|k| get(k).map(|t| (k.clone(), Doc::Text(t)))).collect();
            Item { from: None, value: Doc::Map(map) }
        })
        .collect();
    entries.push(("indicators".into(), Doc::List(indicators)));
    Doc::Map(entries)
}

/// The spec text of `project` (without its modeline).
pub fn text(project: &Project, form: &Form) -> String {
    write_new(&document(project, form))
}
