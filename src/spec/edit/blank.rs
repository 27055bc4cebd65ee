//! New spec texts: a blank project of a form (every required field empty, a spending
//! plan with the form's checkpoints, no indicators yet), written in the specs' style.

use crate::form::Form;
use crate::spec::edit::doc::Doc;
use crate::spec::edit::emit;
use crate::spec::schema::{self, Field, Shape};

/// A blank project of `form` with code `code`.
pub fn blank_project(form: &Form, code: &str) -> Doc {
    let fields = schema::project(&form.fields);
    let mut entries: Vec<(String, Doc)> = Vec::new();
    for field in fields.iter().filter(|f| f.required || f.key == "indicators") {
        let value = if field.key == "code" { Doc::Text(code.to_string()) } else { blank(field, form) };
        entries.push((field.key.clone(), value));
    }
    Doc::Map(entries)
}

fn blank(field: &Field, form: &Form) -> Doc {
    match &field.shape {
        Shape::Text | Shape::Integer => Doc::Text(String::new()),
        Shape::Plan => Doc::Map(form.def.checkpoints.iter().map(|c| (c.month.to_string(), Doc::Null)).collect()),
        Shape::Map(fields) => {
            Doc::Map(fields.iter().filter(|f| f.required).map(|f| (f.key.clone(), blank(f, form))).collect())
        }
        Shape::List(_) => Doc::List(Vec::new()),
    }
}

/// A whole file holding `doc` (a map), in block style.
pub fn write_new(doc: &Doc) -> String {
    let Doc::Map(entries) = doc else { return String::new() };
    entries.iter().map(|(k, v)| format!("{}:{}\n", emit::key(k), emit::value(v, 0, false))).collect()
}
