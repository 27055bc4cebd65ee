//! One project's actuals as they will be written: the figures read from its table,
//! matched to its target, and the YAML text of its actuals file (fields in the model's
//! order, money rows in flow style as `init` and the examples write them, texts verbatim).

use super::read::RowRead;
use crate::form::Form;
use crate::grid::flat::Column;
use crate::spec::edit::emit::{flow, flow_texts, text as scalar};
use crate::spec::edit::{Doc, Item};

/// One project's actuals file in the making.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The file name, as its target's (`131003001.yaml`).
    pub file: String,
    /// Its target: an index into the year's projects.
    pub target: usize,
    /// Where its table was read.
    pub place: String,
    /// Money rows by fund-source key, each with its columns (`budget`, `spent`…).
    pub money: Vec<(String, Vec<(String, String)>)>,
    /// Project figures by key (`money_reason`, `goal`, `conclusion`, a form's own field).
    pub fields: Vec<(String, String)>,
    /// Indicator rows, in the table's order.
    pub rows: Vec<DraftRow>,
}

/// One indicator's actuals in the making.
#[derive(Debug, Clone, Default)]
pub struct DraftRow {
    /// The target indicator it answers (an index into the target's indicators).
    pub target: usize,
    /// Its 二级, written only where the target has two indicators of its name.
    pub level2: Option<String>,
    /// What was read.
    pub read: RowRead,
    /// The weight to write (where the form's split does not give the printed one).
    pub weight: Option<String>,
    /// The score to write (where the rule does not give the printed one).
    pub score: Option<String>,
    /// The direction to write (where the target's words do not give the printed score).
    pub direction: Option<String>,
}

impl Draft {
    /// Sets the draft's fields from a table's, by marker.
    pub fn take(&mut self, fields: &[(Column, String)]) {
        for (column, text) in fields.iter().filter(|(_, t)| !t.is_empty()) {
            match column {
                Column::Project(key) if key != "name" => self.fields.push((key.clone(), text.clone())),
                Column::Part(block, key) if block == "x" => self.fields.push((key.clone(), text.clone())),
                Column::Part(block, part) if block == "money" => {
                    let Some((row, column)) = part.split_once('.') else { continue };
                    let amount = crate::import::half_width(text).replace([',', '，'], "");
                    match self.money.iter_mut().find(|(k, _)| k == row) {
                        Some((_, columns)) => columns.push((column.to_string(), amount)),
                        None => self.money.push((row.to_string(), vec![(column.to_string(), amount)])),
                    }
                }
                _ => {}
            }
        }
    }

    /// The text of its actuals file (without the modeline).
    pub fn text(&self, form: &Form) -> String {
        let def = form.def.evaluation.as_ref();
        let mut out = String::new();
        let rows: Vec<&String> = def.map(|d| d.money_rows.iter().map(|r| &r.key).collect()).unwrap_or_default();
        let columns: Vec<&String> = def.map(|d| d.money_columns.iter().collect()).unwrap_or_default();
        let mut money = String::new();
        for key in rows {
            let Some((_, written)) = self.money.iter().find(|(k, _)| k == key) else { continue };
            let pairs: Vec<(String, Doc)> = columns
                .iter()
                .filter_map(|c| written.iter().find(|(k, _)| k == *c).map(|(k, v)| (k.clone(), Doc::Text(v.clone()))))
                .collect();
            if let Some(row) = (!pairs.is_empty()).then(|| flow_texts(&Doc::Map(pairs), true)).flatten() {
                money.push_str(&format!("  {key}: {row}\n"));
            }
        }
        if !money.is_empty() {
            out.push_str("money:\n");
            out.push_str(&money);
        }
        let field = |key: &str| self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        for key in ["money_reason", "goal"] {
            if let Some(value) = field(key) {
                out.push_str(&format!("{key}: {}\n", scalar(value)));
            }
        }
        if !self.rows.is_empty() {
            out.push_str("indicators:\n");
        }
        for row in &self.rows {
            out.push_str(&format!("  - name: {}\n", scalar(&row.read.name)));
            let mut line = |key: &str, value: &str| out.push_str(&format!("    {key}: {value}\n"));
            if let Some(level2) = &row.level2 {
                line("level2", &scalar(level2));
            }
            for key in ["actual", "forecast"] {
                if let Some(value) = row.read.field(key) {
                    line(key, &scalar(value));
                }
            }
            for (key, value) in [("weight", &row.weight), ("score", &row.score)] {
                if let Some(value) = value {
                    line(key, &scalar(value));
                }
            }
            if let Some(value) = row.read.field("score_reason") {
                line("score_reason", &scalar(value));
            }
            if let Some(value) = &row.direction {
                line("direction", &scalar(value));
            }
            if !row.read.applies {
                line("applies", "false");
            }
            for key in ["reason", "measure"] {
                if let Some(value) = row.read.field(key) {
                    line(key, &scalar(value));
                }
            }
            let causes = row.read.causes.iter().map(|c| Item { from: None, value: Doc::Text(c.clone()) }).collect();
            if let Some(causes) = (!row.read.causes.is_empty()).then(|| flow(&Doc::List(causes))).flatten() {
                line("causes", &causes);
            }
            if let Some(likelihood) = &row.read.likelihood {
                line("likelihood", &scalar(likelihood));
            }
            if let Some(value) = row.read.field("note") {
                line("note", &scalar(value));
            }
            for (key, value) in &row.read.fields {
                if let Some(own) = key.strip_prefix("x.")
                    && !value.is_empty()
                {
                    line(own, &scalar(value));
                }
            }
        }
        for key in ["conclusion", "problems", "measures"] {
            if let Some(value) = field(key) {
                out.push_str(&format!("{key}: {}\n", scalar(value)));
            }
        }
        let own = def.map(|d| {
            d.fields_on(crate::form::evaluation::FieldPlace::Project).map(|f| f.key.clone()).collect::<Vec<_>>()
        });
        for key in own.unwrap_or_default() {
            if let Some(value) = field(&key) {
                out.push_str(&format!("{key}: {}\n", scalar(value)));
            }
        }
        out
    }
}
