//! The flat indicator sheet of a year's workbook: one row per indicator with its
//! project's code and name, 一级, 二级, 三级, every indicator field of the form and every
//! project field (parts of a block and spending-plan months in columns of their own), so
//! that a clerk can filter and paste. `jixiao import` reads the same columns back, by
//! their labels: the columns are described once, here, for both directions.

use crate::form::Form;
use crate::model::ProjectSpec;
use crate::model::catalog::{self, FieldType};

/// The name of the flat sheet in a year's workbook.
pub const FLAT_SHEET: &str = "指标明细";
/// The name of the summary sheet in a year's workbook.
pub const SUMMARY_SHEET: &str = "项目汇总";

/// What a column of the flat sheet holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// An indicator field by key (`level1`, `name`, `value`, `basis`, a form's own).
    Indicator(String),
    /// The indicator table an indicator is in (a form with several tables).
    Table,
    /// A project's text field by key (`code`, `name`, `purpose`, a form's own).
    Project(String),
    /// A part of a project's block (`period`, `start`).
    Part(String, String),
    /// The spending plan at a checkpoint month.
    Plan(u32),
}

/// The flat sheet: its header and its rows of texts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Flat {
    /// Each column's label and what it holds.
    pub columns: Vec<(String, Column)>,
    /// One row per indicator (a project without indicators has one row of its own).
    pub rows: Vec<Vec<String>>,
}

/// The columns of a form's flat sheet, in order: code and name, the indicator's place
/// and fields, then the project's other fields.
pub fn columns(form: &Form) -> Vec<(String, Column)> {
    let mut columns: Vec<(String, Column)> = ["code", "name"]
        .iter()
        .map(|key| (catalog::project(key).map_or(*key, |a| a.label).to_string(), Column::Project(key.to_string())))
        .collect();
    if !form.def.indicator_tables.is_empty() {
        columns.push((catalog::describe("table").to_string(), Column::Table));
    }
    for key in ["level1", "level2", "name", "value"] {
        let about = catalog::indicator(key).map_or(key, |a| a.label);
        columns.push((about.to_string(), Column::Indicator(key.into())));
    }
    // 三级 and 指标值 come before the form's other indicator fields.
    for field in &form.fields.indicator {
        columns.push((field.label.clone(), Column::Indicator(field.key.clone())));
    }
    for field in &form.fields.project {
        match (field.key.as_str(), field.kind) {
            ("spending_plan", _) => {
                for checkpoint in &form.def.checkpoints {
                    columns.push((format!("{}·{}", field.label, checkpoint.label), Column::Plan(checkpoint.month)));
                }
            }
            (_, FieldType::Rows) => {}
            (key, FieldType::Block) => {
                for part in catalog::project(key).map(|a| a.parts).unwrap_or_default() {
                    columns
                        .push((format!("{}·{}", field.label, part.label), Column::Part(key.into(), part.key.into())));
                }
            }
            (key, _) => columns.push((field.label.clone(), Column::Project(key.into()))),
        }
    }
    columns
}

/// The flat sheet of `projects` (in the order given).
pub fn sheet(form: &Form, projects: &[&ProjectSpec]) -> Flat {
    let columns = columns(form);
    let mut rows = Vec::new();
    for project in projects {
        let cell = |column: &Column, indicator: Option<&crate::model::IndicatorSpec>| -> String {
            let text = match column {
                Column::Indicator(key) => indicator.and_then(|i| i.text(key)).map(|t| t.value.clone()),
                Column::Table => indicator.and_then(|i| i.table.as_ref()).map(|t| {
                    form.def
                        .indicator_tables
                        .iter()
                        .find(|d| d.key == t.value)
                        .map_or(t.value.clone(), |d| d.label.clone())
                }),
                Column::Project(key) => project.text(key).map(|t| t.value.clone()),
                Column::Part(block, part) => project.part(block, part).map(|t| t.value.clone()),
                Column::Plan(month) => project.spending_plan.as_ref().and_then(|plan| {
                    plan.value
                        .entries
                        .iter()
                        .find(|(k, _)| crate::model::plan::SpendingPlan::month(&k.value) == Some(*month))
                        .map(|(_, v)| v.value.clone())
                }),
            };
            text.unwrap_or_default()
        };
        if project.indicators.is_empty() {
            rows.push(columns.iter().map(|(_, c)| cell(c, None)).collect());
        }
        for indicator in &project.indicators {
            rows.push(columns.iter().map(|(_, c)| cell(c, Some(indicator))).collect());
        }
    }
    Flat { columns, rows }
}
