//! Domain rules on one project (errors): code and file name, 一级/二级 labels against
//! the form, the spending plan, typed 指标值, the money block, and every text field.

use rust_decimal::Decimal;

use crate::diag::rules;
use crate::form::Form;
use crate::form::fields::Field;
use crate::model::catalog::{self, FieldType, Holds};
use crate::model::{IndicatorSpec, ProjectSpec, SpendingPlan, Text, Texts};
use crate::suggest;
use crate::validate::YearContext;
use crate::validate::department::check_allow;
use crate::validate::{FileCheck, Glyphs, ProjectFacts, extra, text};
use crate::value::{self, IndicatorValue, Overflow};

/// Checks a project and returns what the build and the lints need.
pub fn check(
    file: &mut FileCheck,
    spec: &ProjectSpec,
    form: &Form,
    year: &YearContext,
    fonts: Option<&dyn Glyphs>,
) -> ProjectFacts {
    check_code(file, spec);
    check_texts(file, spec, form, fonts);
    check_plan(file, spec, form);
    check_funds(file, spec, year);
    for (key, rows) in &spec.rows {
        let Some(field) = form.fields.project_field(&key.value) else { continue };
        for row in rows {
            extra::check(file, row, &field.columns, fonts);
        }
    }
    check_allow(file, &spec.allow);
    let mut facts = ProjectFacts::default();
    let mut amount: Option<Decimal> = None;
    super::sums::check(file, spec, form);
    super::coverage::check(file, spec, form);
    for indicator in &spec.indicators {
        check_labels(file, &indicator.level1, &indicator.level2, form);
        if let Some(table) = &indicator.table {
            check_table(file, table, form);
        }
        check_indicator_texts(file, indicator, form, fonts);
        // A value read as text (the form's choice, or an indicator whose 指标值类型 is 定性)
        // is printed as written, not parsed.
        let free = form.fields.value == FieldType::Text || indicator.declared_qualitative();
        let parsed = if free { None } else { check_value(file, &indicator.value) };
        if form.def.cost_slots.contains(&indicator.level2.value)
            && let Some(IndicatorValue::Quantity { number, unit, .. }) = &parsed
        {
            let money_unit = year.money_unit.as_deref().unwrap_or("万元");
            // A bare number in a cost slot is taken to be in the year's money unit.
            match value::to_money_unit(*number, unit.as_deref().unwrap_or(money_unit), money_unit).and_then(
                |converted| match converted {
                    Some(converted) => amount.unwrap_or_default().checked_add(converted).map(Some).ok_or(Overflow),
                    None => Ok(amount),
                },
            ) {
                Ok(sum) => amount = sum,
                Err(Overflow) => {
                    file.report(
                        &rules::E0318,
                        &indicator.value,
                        format!("金额“{}”超出了可以精确计算的范围", indicator.value.value),
                    )
                    .set_hint(
                        "金额（换算为本年度金额单位后）及其合计不能超过约 7.9 × 10²⁸；请检查是否多写了位数或写错了单位",
                    );
                }
            }
        }
        facts.values.push(parsed);
    }
    facts.amount = match form.def.amount_from.as_deref() {
        None | Some(crate::form::AMOUNT_FROM_COST_ROWS) => amount,
        Some(source) => amount_from(spec, source, year.money_unit.as_deref().unwrap_or("万元")),
    };
    facts
}

/// The project's text fields, each by its description: not blank unless it may be
/// (see [`catalog::About::blank_ok`]), no invisible characters, every character printable;
/// the form's own fields and choices by their declared types.
fn check_texts(file: &mut FileCheck, spec: &ProjectSpec, form: &Form, fonts: Option<&dyn Glyphs>) {
    for about in catalog::PROJECT.iter().filter(|a| a.key != "code") {
        match about.holds {
            Holds::Text => {
                if let Some(value) = spec.text(about.key) {
                    text::check(file, about.key, value, !about.blank_ok, fonts);
                }
            }
            Holds::Parts => {
                // Money parts are checked as amounts, with their sum.
                for part in about.parts.iter().filter(|p| p.kind == FieldType::Text) {
                    if let Some(value) = spec.part(about.key, part.key) {
                        text::check(file, part.key, value, true, fonts);
                    }
                }
            }
            _ => {}
        }
    }
    typed(file, &spec.texts, &form.fields.project, fonts);
}

/// An indicator's text fields (its 一级/二级 are checked against the form's labels, its
/// value's form with its number).
fn check_indicator_texts(file: &mut FileCheck, indicator: &IndicatorSpec, form: &Form, fonts: Option<&dyn Glyphs>) {
    for about in catalog::INDICATOR.iter().filter(|a| !matches!(a.key, "level1" | "level2")) {
        match indicator.text(about.key) {
            Some(value) if about.kind == FieldType::Number => {
                check_number(file, about.key, value);
            }
            Some(value) => text::check(file, about.key, value, !about.blank_ok, fonts),
            None => {}
        }
    }
    typed(file, &indicator.texts, &form.fields.indicator, fonts);
}

/// The written texts checked by the types their form declares: the form's own fields
/// in full, built-in fields declared a choice for their choices.
fn typed(file: &mut FileCheck, texts: &Texts, declared: &[Field], fonts: Option<&dyn Glyphs>) {
    for (key, value) in texts.iter() {
        match declared.iter().find(|f| f.key == key.value) {
            Some(field) if !field.builtin => extra::check_one(file, field, value, fonts),
            Some(field) if field.kind == FieldType::Choice => extra::typed(file, field, value),
            _ => {}
        }
    }
}

/// A project's budget amount from its money block (`funds`) or a money field (`key`), in
/// the year's money unit: the sum of the parts written (blank parts count as nothing);
/// `None` when none is written or one is not an amount.
fn amount_from(spec: &ProjectSpec, source: &str, money_unit: &str) -> Option<Decimal> {
    let written: Vec<&Text> = if source == crate::form::AMOUNT_FROM_FUNDS {
        let funds = spec.funds.as_ref()?;
        [&funds.fiscal, &funds.other, &funds.carryover].into_iter().flatten().collect()
    } else {
        spec.texts.iter().filter(|(key, _)| key.value == source).map(|(_, value)| value).collect()
    };
    let mut total: Option<Decimal> = None;
    for text in written.into_iter().filter(|t| !t.value.is_empty()) {
        let (number, unit) = value::amount(text.value.as_str()).ok()?;
        let converted = value::to_money_unit(number, unit.as_deref().unwrap_or(money_unit), money_unit).ok()??;
        total = Some(total.unwrap_or_default().checked_add(converted)?);
    }
    total
}

/// An indicator names one of the form's tables.
fn check_table(file: &mut FileCheck, table: &Text, form: &Form) {
    let tables = &form.def.indicator_tables;
    if tables.iter().any(|t| t.key == table.value.as_str()) {
        return;
    }
    let listed = tables.iter().map(|t| format!("{}（{}）", t.key, t.label)).collect::<Vec<_>>().join("、");
    let d = file.report(&rules::E0322, table, format!("“{}”不是本表样的指标表", table.value.as_str()));
    d.hint = Some(match suggest::closest(table.value.as_str(), tables.iter().map(|t| t.key.as_str())) {
        Some(best) => format!("您是不是想写 {best}？本表样的指标表：{listed}"),
        None => format!("本表样的指标表：{listed}"),
    });
}

fn check_code(file: &mut FileCheck, spec: &ProjectSpec) {
    let code = &spec.code;
    // Not written on a form without project codes: the project is known by its file name.
    if !crate::model::is_written(code) {
        return;
    }
    text::check(file, "code", code, true, None);
    let trimmed = code.value.as_str();
    if trimmed.is_empty() {
        return;
    }
    if !trimmed.chars().all(|c| c.is_ascii_digit()) {
        file.report(&rules::E0302, code, format!("项目编码“{}”应只含数字", code.value))
            .set_hint("编码请加引号书写，例如 code: \"131003001\"");
        return;
    }
    let stem = file.path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    if stem != trimmed {
        file.report(&rules::E0304, code, format!("项目编码 {trimmed} 与文件名 {stem}.yaml 不一致"))
            .set_hint(format!("请把文件改名为 {trimmed}.yaml，或改正编码"));
    }
}

fn check_labels(file: &mut FileCheck, level1: &Text, level2: &Text, form: &Form) {
    let levels = &form.def.levels;
    let Some(level) = levels.iter().find(|l| l.label == level1.value) else {
        let best = suggest::closest(&level1.value, levels.iter().map(|l| l.label.as_str()));
        let names = levels.iter().map(|l| l.label.as_str()).collect::<Vec<_>>().join("、");
        let d = file.report(&rules::E0305, level1, format!("一级指标“{}”不是本表样的一级指标", level1.value));
        d.hint = Some(match best {
            Some(best) => format!("您是不是想写“{best}”？本表样的一级指标：{names}"),
            None => format!("本表样的一级指标：{names}"),
        });
        return;
    };
    // A level with free 二级 names takes any.
    if level.slots.contains(&level2.value) || level.free {
        return;
    }
    let hint = if let Some(owner) = form.level_of(&level2.value) {
        format!("“{}”属于一级指标“{}”，请把 level1 改为“{}”", level2.value, owner.label, owner.label)
    } else {
        let slots = level.slots.join("、");
        match suggest::closest(&level2.value, level.slots.iter().map(String::as_str)) {
            Some(best) => format!("您是不是想写“{best}”？“{}”下的二级指标：{slots}", level.label),
            None => format!("“{}”下的二级指标：{slots}", level.label),
        }
    };
    file.report(&rules::E0306, level2, format!("二级指标“{}”不属于一级指标“{}”", level2.value, level1.value)).hint =
        Some(hint);
}

fn check_plan(file: &mut FileCheck, spec: &ProjectSpec, form: &Form) {
    // Not written: the form does not have it, or the shape check has said it is missing.
    let Some(plan) = &spec.spending_plan else { return };
    let checkpoints = &form.def.checkpoints;
    let months = || checkpoints.iter().map(|c| c.month.to_string()).collect::<Vec<_>>().join("、");
    let mut seen: Vec<(u32, &Text)> = Vec::new();
    for (key, _) in &plan.value.entries {
        let Some(month) = SpendingPlan::month(&key.value).filter(|m| checkpoints.iter().any(|c| c.month == *m)) else {
            file.report(&rules::E0308, key, format!("资金支出计划中的“{}”不是本表样的时间节点", key.value))
                .set_hint(format!("本表样的时间节点（月份）：{}", months()));
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(m, _)| *m == month) {
            let line = file.text[..file.span(*first).start].matches('\n').count() + 1;
            file.report(&rules::E0105, key, format!("资金支出计划中 {month} 月写了两次（第一次在第 {line} 行）"))
                .set_hint("同一个时间节点只能写一次（3 和 \"3\" 是同一个节点）；请删除或合并重复的行");
            continue;
        }
        seen.push((month, key));
    }
    let mut previous: Option<(Decimal, &str)> = None;
    for checkpoint in checkpoints {
        let Some(value) = plan.value.get(checkpoint.month) else {
            // Written without a value: reported by the shape check as not filled in.
            if plan.value.blank.iter().any(|k| SpendingPlan::month(&k.value) == Some(checkpoint.month)) {
                previous = None;
                continue;
            }
            file.report(&rules::E0307, plan, format!("资金支出计划缺少“{}”", checkpoint.label))
                .set_hint(format!("请添加一行 `{}: 百分比`（累计数，0–100）", checkpoint.month));
            continue;
        };
        let number = match plan_percent(&value.value) {
            Ok(number) => number,
            Err(e) => {
                file.report(
                    &rules::E0309,
                    value,
                    format!("“{}”的值“{}”不是数字：{}", checkpoint.label, value.value, e.0),
                )
                .set_hint("请写 0–100 之间的数字，例如 50 或 12.5");
                continue;
            }
        };
        if number < Decimal::ZERO || number > Decimal::ONE_HUNDRED {
            file.report(&rules::E0309, value, format!("“{}”的值 {number} 不在 0–100 之间", checkpoint.label));
            continue;
        }
        if let Some((before, label)) = previous
            && number < before
        {
            file.report(&rules::E0310, value, format!("“{}”的 {number}% 小于“{label}”的 {before}%", checkpoint.label))
                .set_hint("资金支出计划是累计百分比，后一个节点不能小于前一个节点");
        }
        previous = Some((number, &checkpoint.label));
    }
    if let Some(last) = checkpoints.last()
        && let Some(value) = plan.value.get(last.month)
        && let Ok(number) = plan_percent(&value.value)
        && number >= Decimal::ZERO
        && number < Decimal::ONE_HUNDRED
    {
        file.report(&rules::E0311, value, format!("最后一个节点“{}”应为 100，实际为 {number}", last.label))
            .set_hint("资金支出计划是累计数，年底应支出 100%");
    }
}

/// A spending-plan entry as a number (`50` or `50%`), in the strict number grammar
/// without thousands separators.
fn plan_percent(text: &str) -> Result<Decimal, value::ValueError> {
    value::parse_number_with(text.trim().trim_end_matches(['%', '％']).trim_end(), false)
}

/// The money block: each part blank, or an amount, with at most the year's money unit
/// (`250`, `250万` in a year of 万元).
fn check_funds(file: &mut FileCheck, spec: &ProjectSpec, year: &YearContext) {
    let Some(funds) = &spec.funds else { return };
    for (key, value) in [("fiscal", &funds.fiscal), ("other", &funds.other), ("carryover", &funds.carryover)] {
        let Some(value) = value.as_ref().filter(|v| !v.value.is_empty()) else { continue };
        let label = crate::model::catalog::describe(key);
        match value::amount(value.value.as_str()) {
            Ok((number, _)) if number < Decimal::ZERO => {
                file.report(&rules::E0313, value, format!("`{key}`（{label}）不能为负数"));
            }
            Ok((_, Some(unit))) if !same_scale(&unit, year.money_unit.as_deref().unwrap_or("万元")) => {
                let money_unit = year.money_unit.as_deref().unwrap_or("万元");
                file.report(
                    &rules::E0315,
                    value,
                    format!("`{key}`（{label}）的单位“{unit}”与本年度的金额单位“{money_unit}”不同"),
                )
                .set_hint(format!("资金情况按本年度的金额单位（{money_unit}）填写，可以不写单位"));
            }
            Ok(_) => {}
            Err(_) => {
                file.report(
                    &rules::E0315,
                    value,
                    format!("`{key}`（{label}）应是金额，写的是“{}”", value.value.as_str()),
                )
                .set_hint("请用阿拉伯数字写金额，可带单位，例如 250、250万、12.5");
            }
        }
    }
}

/// Whether an amount's unit means what the year's money unit means (`万` and `万元`).
fn same_scale(unit: &str, money_unit: &str) -> bool {
    let scale = |u: &str| value::to_money_unit(Decimal::ONE, u, "元").ok().flatten();
    unit == money_unit || (scale(unit).is_some() && scale(unit) == scale(money_unit))
}

fn check_number(file: &mut FileCheck, key: &str, text: &Text) -> Option<Decimal> {
    match value::parse_number(text.value.as_str()) {
        Ok(number) if number < Decimal::ZERO => {
            file.report(&rules::E0313, text, format!("`{key}`（{}）不能为负数", crate::model::catalog::describe(key)));
            None
        }
        Ok(number) => Some(number),
        Err(e) => {
            file.report(
                &rules::E0315,
                text,
                format!("`{key}`（{}）应是数字：{}", crate::model::catalog::describe(key), e.0),
            );
            None
        }
    }
}

fn check_value(file: &mut FileCheck, text: &Text) -> Option<IndicatorValue> {
    if text.value.is_empty() {
        return None;
    }
    match IndicatorValue::parse(&text.value) {
        Ok(parsed) => {
            if let IndicatorValue::Quantity { number, unit, .. } = &parsed {
                if *number < Decimal::ZERO {
                    file.report(&rules::E0313, text, format!("指标值“{}”是负数", text.value));
                } else if unit.as_deref() == Some("%") && *number > Decimal::ONE_HUNDRED {
                    file.report(&rules::E0312, text, format!("百分比“{}”超过 100%", text.value))
                        .set_hint("比例最高为 100%");
                }
            }
            Some(parsed)
        }
        Err(e) => {
            file.report(&rules::E0314, text, format!("指标值“{}”无法解析：{}", text.value, e.0)).set_hint(
                "定量指标请写成“比较词 + 数字 + 单位”，如 98%以上、≥90%、20 次以上、25 万元；定性指标请不要含数字",
            );
            None
        }
    }
}
