//! One project's table: header fields, the spending plan, and the indicators grouped
//! into the form's 一级/二级 slots.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::levels::levels;
use super::printed::{extra, optional, text, texts};
use super::{Marks, ValueView};
use crate::form::Form;
use crate::model::catalog::{self, FieldType};
use crate::model::{Funds, ProjectSpec, Text};
use crate::text::fill;
use crate::value::{checked_sum, format_decimal};

/// One project table.
#[derive(Serialize, Clone, Default)]
pub struct ProjectView {
    /// Table title, e.g. 2024年度项目支出绩效目标表.
    pub title: String,
    /// 项目编码.
    pub code: String,
    /// 预算项目名称.
    pub name: String,
    /// The built-in text fields ([`catalog::PROJECT`]: `purpose`, `goal`,
    /// `mid_term_goal`, …) by key, "" where not written; templates read them as
    /// `project.purpose`.
    #[serde(flatten)]
    pub texts: BTreeMap<&'static str, String>,
    /// 项目期限.
    pub period: PeriodView,
    /// The money block.
    pub funds: FundsView,
    /// Spending plan, one cell per checkpoint.
    pub plan: Vec<PlanCell>,
    /// 一级 groups in form order (every indicator, whatever its table).
    pub levels: Vec<LevelView>,
    /// The indicators table by table, for a form with several (`indicator_tables` in
    /// form.yaml, e.g. 长期 and 年度); empty for a form with one.
    pub tables: Vec<TableView>,
    /// The sums the form declares (`sums` in form.yaml), by key, added exactly ("" when a
    /// part is not a number).
    pub sums: BTreeMap<String, String>,
    /// How many pages the table takes when laid out on its own: known in the report's
    /// context (which leaves that many slot pages for it), 0 in the project's own.
    pub pages: usize,
    /// What changed in the header fields (keys `name`, `purpose`, `goal`,
    /// `period.start`, `funds.fiscal`, …), in a change-marked report; empty elsewhere.
    pub marks: Marks,
    /// The form's own project fields, by key ("" where not written).
    pub extra: BTreeMap<String, String>,
    /// The form's own fields of several rows (`type: rows`), by key: each row's cells by
    /// column key ("" where not written).
    pub rows: BTreeMap<String, Vec<BTreeMap<String, String>>>,
}

/// 项目期限 as written ("" when not written).
#[derive(Serialize, Clone, Default)]
pub struct PeriodView {
    /// Start.
    pub start: String,
    /// End.
    pub end: String,
}

/// The money block as written, and its total ("" where not written).
#[derive(Serialize, Clone, Default)]
pub struct FundsView {
    /// 财政拨款.
    pub fiscal: String,
    /// 其他资金.
    pub other: String,
    /// 上年结转.
    pub carryover: String,
    /// 年度资金总额: the parts added exactly ("" without a money block).
    pub total: String,
}

/// One spending-plan checkpoint.
#[derive(Serialize, Clone, Default)]
pub struct PlanCell {
    /// e.g. 3 月底.
    pub label: String,
    /// e.g. 10%.
    pub value: String,
    /// The checkpoint's month (what change marks are matched by).
    #[serde(skip)]
    pub month: u32,
    /// What changed (key `value`), in a change-marked report.
    pub marks: Marks,
}

/// One of a form's indicator tables.
#[derive(Serialize, Clone, Default)]
pub struct TableView {
    /// Its key (what an indicator's `table:` names).
    pub key: String,
    /// Its printed label, e.g. 年度绩效指标.
    pub label: String,
    /// Its 一级 groups.
    pub levels: Vec<LevelView>,
}

/// One 一级 group (or, when the group breaks across pages, the part of it on one page).
#[derive(Serialize, Clone)]
pub struct LevelView {
    /// e.g. 产出指标.
    pub label: String,
    /// Rows it spans.
    pub rows: usize,
    /// Its 二级 slots.
    pub slots: Vec<SlotView>,
    /// Whether this continues the group from the previous page (its label is printed
    /// again, so that every page can be read on its own).
    pub continued: bool,
}

/// One 二级 slot (or the part of it on one page).
#[derive(Serialize, Clone)]
pub struct SlotView {
    /// e.g. 数量指标.
    pub label: String,
    /// Rows it spans (1 for an empty slot).
    pub rows: usize,
    /// Its indicators (empty: a blank row).
    pub indicators: Vec<IndicatorView>,
    /// The row number (from 0, over the whole indicator table) of its blank row, when it
    /// has no indicators; templates mark each row with it (see [`IndicatorView::row`]).
    pub row: usize,
    /// Whether this continues the slot from the previous page.
    pub continued: bool,
}

/// One 三级 row.
#[derive(Serialize, Clone, Default)]
pub struct IndicatorView {
    /// The row number, from 0 over the whole indicator table (blank rows included). A
    /// template marks each row's first cell with `#metadata((code, row)) <jixiao-row>`;
    /// after layout jixiao reads on which page each row starts, and when a 一级 or 二级
    /// group breaks across pages it splits the group there (see
    /// [`ProjectView::fitted`]), so its label prints again at the top of the next page.
    pub row: usize,
    /// Whether the row may break across pages: false unless it is taller than a page
    /// (jixiao finds out after layout).
    pub breakable: bool,
    /// 三级指标.
    pub name: String,
    /// 指标值, verbatim.
    pub value: String,
    /// 一级指标.
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// The built-in text fields ([`catalog::INDICATOR`]: `description`, `basis`,
    /// `unit`, …) by key, "" where not written; templates read them as
    /// `indicator.basis`.
    #[serde(flatten)]
    pub texts: BTreeMap<&'static str, String>,
    /// Its position in the spec's `indicators` list (what change marks are matched by).
    #[serde(skip)]
    pub index: usize,
    /// What changed (status `added`, `changed` or `moved`; keys `name`, `description`,
    /// `value`, `basis`, …, `place`), in a change-marked report.
    pub marks: Marks,
    /// The form's own indicator fields, by key ("" where not written).
    pub extra: BTreeMap<String, String>,
    /// The 指标值 taken apart.
    pub parsed: ValueView,
}

/// Arranges one project for its table.
pub fn project(form: &Form, year: u32, spec: &ProjectSpec) -> ProjectView {
    let def = &form.def;
    let plan = def
        .checkpoints
        .iter()
        .map(|c| {
            // A form without a spending plan (or a project that leaves it out) prints blanks.
            let value = match &spec.spending_plan {
                Some(plan) => {
                    let written = plan.value.get(c.month);
                    format!("{}%", written.map(|v| v.value.trim_end_matches(['%', '％']).trim()).unwrap_or_default())
                }
                None => String::new(),
            };
            PlanCell { label: c.label.clone(), value, month: c.month, marks: Marks::default() }
        })
        .collect();
    let mut row = 0;
    let all = levels(form, spec, None, &mut row);
    // Each table of a form with several (e.g. 长期 and 年度), rows numbered on.
    let tables = def
        .indicator_tables
        .iter()
        .map(|t| TableView {
            key: t.key.clone(),
            label: t.label.clone(),
            levels: levels(form, spec, Some(&t.key), &mut row),
        })
        .collect();
    let sums = def.sums.iter().map(|sum| (sum.key.clone(), sum_of(spec, &sum.parts))).collect();
    ProjectView {
        title: fill(&def.title, &[("year", &year.to_string())]),
        code: text(&spec.code),
        name: text(&spec.name),
        texts: texts(catalog::PROJECT, |key| spec.text(key)),
        period: spec
            .period
            .as_ref()
            .map(|p| PeriodView { start: text(&p.start), end: text(&p.end) })
            .unwrap_or_default(),
        funds: spec.funds.as_ref().map(funds).unwrap_or_default(),
        plan,
        levels: all,
        tables,
        sums,
        pages: 0,
        marks: Marks::default(),
        extra: extra(|key| spec.texts.get(key), &form.fields.project),
        rows: form
            .fields
            .project
            .iter()
            .filter(|f| f.kind == FieldType::Rows)
            .map(|f| {
                let written = spec.rows.iter().find(|(k, _)| k.value == f.key).map(|(_, rows)| rows.as_slice());
                let cell = |row: &'_ [(Text, Text)], key: &str| {
                    row.iter().find(|(k, _)| k.value == key).map(|(_, v)| v.clone())
                };
                let rows = written
                    .unwrap_or_default()
                    .iter()
                    .map(|row| {
                        f.columns
                            .iter()
                            .map(|c| (c.key.clone(), cell(row, &c.key).as_ref().map(text).unwrap_or_default()))
                            .collect()
                    })
                    .collect();
                (f.key.clone(), rows)
            })
            .collect(),
    }
}

/// The exact sum of money fields, as printed; "" when a part is not an amount (see
/// [`ProjectSpec::sum_money`]).
pub fn sum_of(spec: &ProjectSpec, parts: &[String]) -> String {
    let written: Vec<&str> = parts.iter().filter_map(|part| spec.money_field(part)).collect();
    spec.sum_money(parts).map(|total| with_unit(total, &written)).unwrap_or_default()
}

/// A computed total as its parts are written: with their unit when every part writes the
/// same one (`25 万元` and `5 万元` make `30 万元`, `250万` and `50万` make `300万`), the
/// number alone otherwise (the parts are then in the year's money unit, which the form's
/// label or 单位 line names).
fn with_unit(total: Decimal, parts: &[&str]) -> String {
    let units: Vec<Option<String>> = parts.iter().map(|p| crate::value::amount(p).ok().and_then(|(_, u)| u)).collect();
    let number = format_decimal(total);
    match units.first() {
        Some(Some(unit)) if units.iter().all(|u| u.as_ref() == Some(unit)) => {
            let spaced = parts[0].trim_end_matches(unit.as_str()).ends_with(char::is_whitespace);
            format!("{number}{}{unit}", if spaced { " " } else { "" })
        }
        _ => number,
    }
}

/// The money block: its parts as written and their exact total (blank when a part is
/// not a number, which validation reports).
fn funds(funds: &Funds) -> FundsView {
    let parts = [&funds.fiscal, &funds.other, &funds.carryover];
    // Blank parts count as nothing; a part may carry its unit (`250万`).
    let numbers: Option<Vec<Decimal>> = parts
        .iter()
        .filter_map(|p| p.as_ref())
        .filter(|p| !p.value.is_empty())
        .map(|p| crate::value::amount(p.value.as_str()).ok().map(|(n, _)| n))
        .collect();
    let written: Vec<&str> =
        parts.iter().filter_map(|p| p.as_ref()).map(|p| p.value.as_str()).filter(|p| !p.is_empty()).collect();
    let total = numbers.and_then(|n| checked_sum(&n).ok()).map(|n| with_unit(n, &written)).unwrap_or_default();
    FundsView {
        fiscal: optional(&funds.fiscal),
        other: optional(&funds.other),
        carryover: optional(&funds.carryover),
        total,
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn a_computed_total_carries_the_unit_its_parts_write() {
        let total = |parts: &[&str], sum: &str| with_unit(Decimal::from_str(sum).unwrap(), parts);
        assert_eq!(total(&["25 万元", "5 万元"], "30"), "30 万元");
        assert_eq!(total(&["250万", "50万"], "300"), "300万");
        assert_eq!(total(&["360", "0"], "360"), "360", "no unit written, none printed");
        assert_eq!(total(&["25 万元", "5"], "30"), "30", "mixed: the number alone");
    }
}
