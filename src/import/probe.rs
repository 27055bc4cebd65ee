//! The probe: a project of the form whose every field holds a marker (`⟦purpose⟧`,
//! `⟦period.start⟧`, `⟦spending_plan.3⟧`, `⟦i.value⟧`), with one indicator in every
//! 二级 slot (and in every indicator table), and a choice set to its first option. Printed
//! by the form's templates into a grid, it shows where each field is.

use crate::form::Form;
use crate::grid::flat::Column;
use crate::model::catalog::{self, FieldType};

/// Opens a marker.
pub const OPEN: char = '⟦';
/// Closes a marker.
pub const CLOSE: char = '⟧';

/// A piece of a probe cell's text: fixed text, or a marker's field.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Text printed as is (a label, `至`, `%`).
    Fixed(String),
    /// Where a field's text goes.
    Field(Marker),
}

/// What a marker stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// A project field (a flat-sheet column).
    Project(Column),
    /// An indicator field by key.
    Indicator(String),
    /// A column of a list field's row (`schedule`, `content`).
    Row(String, String),
}

/// The marker text of a path.
fn mark(path: &str) -> String {
    format!("\"{OPEN}{path}{CLOSE}\"")
}

/// A cell's text split into pieces.
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(OPEN) {
        let Some(close) = rest[open..].find(CLOSE).map(|c| open + c) else { break };
        if open > 0 {
            out.push(Piece::Fixed(rest[..open].to_string()));
        }
        let path = &rest[open + OPEN.len_utf8()..close];
        if let Some(marker) = marker(path) {
            out.push(Piece::Field(marker));
        }
        rest = &rest[close + CLOSE.len_utf8()..];
    }
    if !rest.is_empty() {
        out.push(Piece::Fixed(rest.to_string()));
    }
    out
}

fn marker(path: &str) -> Option<Marker> {
    if let Some(key) = path.strip_prefix("i.") {
        return Some(Marker::Indicator(key.to_string()));
    }
    if let Some(rest) = path.strip_prefix("rows.") {
        let (key, column) = rest.split_once('.')?;
        return Some(Marker::Row(key.to_string(), column.to_string()));
    }
    if let Some(month) = path.strip_prefix("spending_plan.") {
        return month.parse().ok().map(|m| Marker::Project(Column::Plan(m)));
    }
    match path.split_once('.') {
        Some((block, part)) => Some(Marker::Project(Column::Part(block.into(), part.into()))),
        None => Some(Marker::Project(Column::Project(path.into()))),
    }
}

/// The probe project's YAML text.
pub fn project_text(form: &Form) -> String {
    let mut yaml = format!("code: {}\nname: {}\n", mark("code"), mark("name"));
    for field in &form.fields.project {
        let key = &field.key;
        match (key.as_str(), field.kind) {
            ("spending_plan", _) => {
                yaml.push_str("spending_plan:\n");
                for c in &form.def.checkpoints {
                    yaml.push_str(&format!("  {}: {}\n", c.month, mark(&format!("spending_plan.{}", c.month))));
                }
            }
            (_, FieldType::Rows) => {
                yaml.push_str(&format!("{key}:\n"));
                for (i, column) in field.columns.iter().enumerate() {
                    let dash = if i == 0 { "  - " } else { "    " };
                    yaml.push_str(&format!("{dash}{}: {}\n", column.key, mark(&format!("rows.{key}.{}", column.key))));
                }
            }
            (_, FieldType::Block) => {
                yaml.push_str(&format!("{key}:\n"));
                for part in catalog::project(key).map(|a| a.parts).unwrap_or_default() {
                    yaml.push_str(&format!("  {}: {}\n", part.key, mark(&format!("{key}.{}", part.key))));
                }
            }
            (_, FieldType::Choice) => {
                let first = field.choices.first().cloned().unwrap_or_default();
                yaml.push_str(&format!("{key}: {}\n", crate::spec::edit::emit::double(&first)));
            }
            _ => yaml.push_str(&format!("{key}: {}\n", mark(key))),
        }
    }
    yaml.push_str("indicators:\n");
    let tables: Vec<Option<&str>> = if form.def.indicator_tables.is_empty() {
        vec![None]
    } else {
        form.def.indicator_tables.iter().map(|t| Some(t.key.as_str())).collect()
    };
    for table in tables {
        for level in &form.def.levels {
            for slot in &level.slots {
                match table {
                    Some(t) => yaml.push_str(&format!("  - table: {t}\n    level1: {}\n", level.label)),
                    None => yaml.push_str(&format!("  - level1: {}\n", level.label)),
                }
                yaml.push_str(&format!(
                    "    level2: {slot}\n    name: {}\n    value: {}\n",
                    mark("i.name"),
                    mark("i.value")
                ));
                for field in &form.fields.indicator {
                    yaml.push_str(&format!("    {}: {}\n", field.key, mark(&format!("i.{}", field.key))));
                }
            }
        }
    }
    yaml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_texts_split_into_fixed_text_and_fields() {
        assert_eq!(
            pieces("⟦period.start⟧ 至 ⟦period.end⟧"),
            vec![
                Piece::Field(Marker::Project(Column::Part("period".into(), "start".into()))),
                Piece::Fixed(" 至 ".into()),
                Piece::Field(Marker::Project(Column::Part("period".into(), "end".into()))),
            ]
        );
        assert_eq!(pieces("⟦spending_plan.3⟧%")[0], Piece::Field(Marker::Project(Column::Plan(3))));
        assert_eq!(pieces("⟦i.value⟧"), vec![Piece::Field(Marker::Indicator("value".into()))]);
        assert_eq!(
            pieces("1. ⟦rows.schedule.content⟧")[1],
            Piece::Field(Marker::Row("schedule".into(), "content".into()))
        );
    }
}
