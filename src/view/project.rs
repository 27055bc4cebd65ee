//! One project's table: header fields, the spending plan, and the indicators grouped
//! into the form's 一级/二级 slots.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Marks, optional, text};
use crate::form::Form;
use crate::form::Order;
use crate::form::fields::{Field, FieldType};
use crate::spec::model::{Funds, IndicatorSpec, ProjectSpec, Text};
use crate::text::fill;
use crate::value::{Cmp, IndicatorValue, checked_sum, format_decimal};

/// One project table.
#[derive(Serialize, Clone, Default)]
pub struct ProjectView {
    /// Table title, e.g. 2024年度项目支出绩效目标表.
    pub title: String,
    /// 项目编码.
    pub code: String,
    /// 预算项目名称.
    pub name: String,
    /// 项目资金主要用途.
    pub purpose: String,
    /// 绩效目标.
    pub goal: String,
    /// 中期目标 ("" when not written).
    pub mid_term_goal: String,
    /// 主管部门 ("" when not written).
    pub competent_dept: String,
    /// 实施单位 ("" when not written).
    pub implementing_unit: String,
    /// 项目属性 ("" when not written).
    pub attribute: String,
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
    /// 绩效指标描述.
    pub description: String,
    /// 指标值, verbatim.
    pub value: String,
    /// 指标值确定依据 ("" when blank).
    pub basis: String,
    /// 一级指标.
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// 指标值类型 ("" when not written).
    pub value_type: String,
    /// 计量单位 ("" when not written).
    pub unit: String,
    /// 权重 ("" when not written).
    pub weight: String,
    /// 指标解释 ("" when not written).
    pub explanation: String,
    /// 评（扣）分标准 ("" when not written).
    pub scoring: String,
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

/// A 指标值 taken apart, for forms that print its parts in columns of their own (指标性质,
/// 指标值, 度量单位). Every part is "" where it does not apply.
#[derive(Serialize, Clone, Default, Debug, PartialEq, Eq)]
pub struct ValueView {
    /// `quantity` (a number), `range` (two), `qualitative` (a word such as 完成),
    /// `text` (the form prints values as written), or "" (blank or not understood).
    pub kind: String,
    /// 定量 or 定性 ("" for `text` and blanks).
    pub value_type: String,
    /// The comparison: `=`, `≥`, `≤`, `>`, `<` ("" unless a quantity).
    pub cmp: String,
    /// The number, exact ("" unless a quantity).
    pub number: String,
    /// The ends of a range.
    pub low: String,
    /// The upper end of a range.
    pub high: String,
    /// The unit (`%`, `万元`, `件`), "" when none.
    pub unit: String,
}

impl ValueView {
    /// Takes a value apart the way the form reads values.
    pub fn of(value: &str, reading: FieldType) -> ValueView {
        if reading == FieldType::Text {
            return ValueView { kind: "text".into(), ..ValueView::default() };
        }
        let cmp = |c: Cmp| match c {
            Cmp::Eq => "=",
            Cmp::Ge => "≥",
            Cmp::Le => "≤",
            Cmp::Gt => ">",
            Cmp::Lt => "<",
        };
        match IndicatorValue::parse(value) {
            Ok(IndicatorValue::Quantity { cmp: c, number, unit }) => ValueView {
                kind: "quantity".into(),
                value_type: "定量".into(),
                cmp: cmp(c).into(),
                number: format_decimal(number),
                unit: unit.unwrap_or_default(),
                ..ValueView::default()
            },
            Ok(IndicatorValue::Range { low, high, unit }) => ValueView {
                kind: "range".into(),
                value_type: "定量".into(),
                low: format_decimal(low),
                high: format_decimal(high),
                unit: unit.unwrap_or_default(),
                ..ValueView::default()
            },
            Ok(IndicatorValue::Qualitative(word)) if !word.is_empty() => {
                ValueView { kind: "qualitative".into(), value_type: "定性".into(), ..ValueView::default() }
            }
            _ => ValueView::default(),
        }
    }
}

/// The form's own fields as printed: every declared one, "" where not written.
fn extra(written: &[(Text, Text)], declared: &[Field]) -> BTreeMap<String, String> {
    declared
        .iter()
        .filter(|f| !f.builtin && f.kind != FieldType::Rows)
        .map(|f| {
            let value = written.iter().find(|(k, _)| k.value == f.key).map(|(_, v)| v.value.trim().to_string());
            (f.key.clone(), value.unwrap_or_default())
        })
        .collect()
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
                    format!(
                        "{}%",
                        written.map(|v| v.value.trim().trim_end_matches(['%', '％']).trim()).unwrap_or_default()
                    )
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
        purpose: optional(&spec.purpose),
        goal: optional(&spec.goal),
        mid_term_goal: optional(&spec.mid_term_goal),
        competent_dept: optional(&spec.competent_dept),
        implementing_unit: optional(&spec.implementing_unit),
        attribute: optional(&spec.attribute),
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
        extra: extra(&spec.extra, &form.fields.project),
        rows: form
            .fields
            .project
            .iter()
            .filter(|f| f.kind == FieldType::Rows)
            .map(|f| {
                let written = spec.rows.iter().find(|(k, _)| k.value == f.key).map(|(_, rows)| rows.as_slice());
                let rows = written.unwrap_or_default().iter().map(|row| extra(row, &f.columns)).collect();
                (f.key.clone(), rows)
            })
            .collect(),
    }
}

/// The indicators (of one table, when `table` is given) grouped into the form's 一级/二级
/// slots, rows numbered from `row` on: in the form's order of slots, or, for a form that
/// prints its rows in source order, as they come (consecutive rows of the same 一级 and
/// 二级 grouped).
fn levels(form: &Form, spec: &ProjectSpec, table: Option<&str>, row: &mut usize) -> Vec<LevelView> {
    let def = &form.def;
    let chosen: Vec<(usize, &IndicatorSpec)> = spec
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, i)| table.is_none_or(|t| i.table.as_ref().is_some_and(|it| it.value.trim() == t)))
        .collect();
    let view = |index: usize, i: &IndicatorSpec, row: &mut usize| {
        *row += 1;
        IndicatorView {
            row: *row - 1,
            breakable: false,
            name: text(&i.name),
            description: optional(&i.description),
            value: text(&i.value),
            basis: optional(&i.basis),
            level1: text(&i.level1),
            level2: text(&i.level2),
            value_type: optional(&i.value_type),
            unit: optional(&i.unit),
            weight: optional(&i.weight),
            explanation: optional(&i.explanation),
            scoring: optional(&i.scoring),
            index,
            marks: Marks::default(),
            extra: extra(&i.extra, &form.fields.indicator),
            parsed: if i.value_type.as_ref().is_some_and(|t| t.value.trim() == "定性") {
                ValueView { kind: "qualitative".into(), value_type: "定性".into(), ..ValueView::default() }
            } else {
                ValueView::of(&i.value.value, form.fields.value)
            },
        }
    };
    let finish = |label: &str, slots: Vec<SlotView>| LevelView {
        label: label.to_string(),
        rows: slots.iter().map(|s| s.rows).sum(),
        slots,
        continued: false,
    };
    let mut levels = Vec::new();
    if def.order == Order::Source {
        for (index, i) in chosen {
            let (l1, l2) = (i.level1.value.trim(), i.level2.value.trim());
            let same_level = levels.last().is_some_and(|l: &LevelView| l.label == l1);
            if !same_level {
                levels.push(finish(l1, Vec::new()));
            }
            let level = levels.last_mut().unwrap_or_else(|| unreachable!("pushed above"));
            if level.slots.last().is_none_or(|s| s.label != l2) {
                level.slots.push(SlotView {
                    label: l2.into(),
                    rows: 0,
                    indicators: Vec::new(),
                    row: *row,
                    continued: false,
                });
            }
            let slot = level.slots.last_mut().unwrap_or_else(|| unreachable!("pushed above"));
            slot.indicators.push(view(index, i, row));
            slot.rows += 1;
            level.rows += 1;
        }
        return levels;
    }
    for level in &def.levels {
        // A level with free 二级 names has its declared slots, then those the specs name.
        let mut names: Vec<&str> = level.slots.iter().map(String::as_str).collect();
        if level.free {
            for (_, i) in chosen.iter().filter(|(_, i)| i.level1.value.trim() == level.label) {
                if !names.contains(&i.level2.value.trim()) {
                    names.push(i.level2.value.trim());
                }
            }
        }
        let mut slots = Vec::new();
        for slot in names {
            let first = *row;
            let indicators: Vec<IndicatorView> = chosen
                .iter()
                .filter(|(_, i)| i.level1.value.trim() == level.label && i.level2.value.trim() == slot)
                .map(|(index, i)| view(*index, i, row))
                .collect();
            if indicators.is_empty() && !def.print_empty_slots {
                continue;
            }
            if indicators.is_empty() {
                *row += 1;
            }
            slots.push(SlotView {
                label: slot.to_string(),
                rows: indicators.len().max(1),
                indicators,
                row: first,
                continued: false,
            });
        }
        if !slots.is_empty() {
            levels.push(finish(&level.label, slots));
        }
    }
    levels
}

/// The exact sum of money fields, as printed; "" when a part is not an amount (see
/// [`ProjectSpec::sum_money`]).
pub fn sum_of(spec: &ProjectSpec, parts: &[String]) -> String {
    spec.sum_money(parts).map(format_decimal).unwrap_or_default()
}

/// The money block: its parts as written and their exact total (blank when a part is
/// not a number, which validation reports).
fn funds(funds: &Funds) -> FundsView {
    let parts = [&funds.fiscal, &funds.other, &funds.carryover];
    // Blank parts count as nothing; a part may carry its unit (`250万`).
    let numbers: Option<Vec<Decimal>> = parts
        .iter()
        .filter_map(|p| p.as_ref())
        .filter(|p| !p.value.trim().is_empty())
        .map(|p| crate::value::amount(p.value.trim()).ok().map(|(n, _)| n))
        .collect();
    let total = numbers.and_then(|n| checked_sum(&n).ok()).map(format_decimal).unwrap_or_default();
    FundsView {
        fiscal: optional(&funds.fiscal),
        other: optional(&funds.other),
        carryover: optional(&funds.carryover),
        total,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diag::Sources;
    use crate::form::fields::FormFields;
    use crate::spec::load::parse_spec;

    fn form() -> Form {
        let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        Form::load(&templates, "hebei-2024", &mut Sources::default()).unwrap()
    }

    fn spec(rows: &[(&str, &str, &str)]) -> ProjectSpec {
        let mut text =
            String::from("code: \"1\"\nname: 项目\npurpose: 用途\nspending_plan: {3: 10}\ngoal: 目标\nindicators:\n");
        for (l1, l2, name) in rows {
            text.push_str(&format!(
                "  - {{level1: {l1}, level2: {l2}, name: {name}, description: 说明, value: 完成}}\n"
            ));
        }
        parse_spec::<ProjectSpec>(Path::new("1.yaml"), &text, &FormFields::default()).unwrap()
    }

    fn shape(levels: &[LevelView]) -> Vec<String> {
        levels
            .iter()
            .flat_map(|l| {
                l.slots.iter().map(move |s| {
                    let names: Vec<&str> = s.indicators.iter().map(|i| i.name.as_str()).collect();
                    format!("{}/{}:{}", l.label, s.label, names.join(","))
                })
            })
            .collect()
    }

    #[test]
    fn rows_in_taxonomy_or_in_source_order() {
        let mut form = form();
        form.def.print_empty_slots = false;
        let spec = spec(&[
            ("效果指标", "社会效益指标", "甲"),
            ("产出指标", "数量指标", "乙"),
            ("产出指标", "数量指标", "丙"),
            ("效果指标", "社会效益指标", "丁"),
        ]);
        let taxonomy = project(&form, 2024, &spec);
        assert_eq!(shape(&taxonomy.levels), ["产出指标/数量指标:乙,丙", "效果指标/社会效益指标:甲,丁"]);
        form.def.order = Order::Source;
        let source = project(&form, 2024, &spec);
        assert_eq!(
            shape(&source.levels),
            ["效果指标/社会效益指标:甲", "产出指标/数量指标:乙,丙", "效果指标/社会效益指标:丁"]
        );
        assert_eq!(source.levels.iter().map(|l| l.rows).collect::<Vec<_>>(), [1, 2, 1]);
    }

    #[test]
    fn free_slots_follow_the_declared_ones() {
        let mut form = form();
        form.def.print_empty_slots = false;
        form.def.levels[2].free = true;
        let spec = spec(&[("满意度指标", "群众满意度", "甲"), ("满意度指标", "服务对象满意度指标", "乙")]);
        assert_eq!(
            shape(&project(&form, 2024, &spec).levels),
            ["满意度指标/服务对象满意度指标:乙", "满意度指标/群众满意度:甲"]
        );
    }
}
