//! Lints: likely mistakes that still give a printable PDF (warnings). Each has a name
//! that `allow:` in a project (or in `department.yaml`) silences.

use rust_decimal::Decimal;

use crate::form::Form;
use crate::spec::model::{IndicatorSpec, ProjectSpec, Text};
use crate::validate::department::YearContext;
use crate::validate::{FileCheck, ProjectFacts};
use crate::value::{self, IndicatorValue};

/// Known misspellings in this domain and their corrections.
const KNOWN_TYPOS: &[(&str, &str)] = &[
    ("行政审事", "行政审批"),
    ("满义度", "满意度"),
    ("满意率度", "满意度"),
    ("办结律", "办结率"),
    ("绩效目票", "绩效目标"),
    ("营商坏境", "营商环境"),
    ("公共资原", "公共资源"),
    ("预箅", "预算"),
];

/// The suffix of indicator names that are rates (and so want a percentage).
const RATE_SUFFIX: char = '率';

/// Runs every lint on a project.
pub fn check_project(file: &mut FileCheck, spec: &ProjectSpec, facts: &ProjectFacts, form: &Form, year: &YearContext) {
    goal_contradicts_indicator(file, spec, facts);
    for (indicator, parsed) in spec.indicators.iter().zip(&facts.values) {
        money_unit(file, indicator, parsed.as_ref(), form, year);
        if indicator.basis.as_ref().is_none_or(|b| b.value.trim().is_empty()) {
            file.warning("W0204", &indicator.name, format!("指标“{}”的指标值确定依据为空", indicator.name.value))
                .set_hint("请写明指标值的来源，例如“2024 年预算”“依据上级文件要求”");
        }
        if indicator.description.value.trim() == indicator.name.value.trim() {
            file.warning("W0205", &indicator.description, "绩效指标描述与三级指标名称完全相同")
                .set_hint("描述应说明指标衡量什么、怎样衡量");
        }
        if let Some(IndicatorValue::Quantity { unit: None, .. }) = parsed
            && form.def.quantity_slots.contains(&indicator.level2.value)
        {
            file.warning("W0206", &indicator.value, format!("数量指标的指标值“{}”没有计量单位", indicator.value.value))
                .set_hint("请写明单位，例如“10000 件以上”");
        }
        if indicator.name.value.trim_end().ends_with(RATE_SUFFIX) && parsed.as_ref().is_some_and(|p| !p.is_percent()) {
            file.warning(
                "W0207",
                &indicator.value,
                format!("“{}”是比率指标，指标值“{}”却不是百分比", indicator.name.value, indicator.value.value),
            )
            .set_hint("比率指标的指标值应写成百分比，例如“95%以上”");
        }
        if let Some(basis) = &indicator.basis
            && year.year > 0
        {
            basis_year(file, basis, year.year);
        }
    }
    if !year.department_code.is_empty() && !spec.code.value.trim().starts_with(&year.department_code) {
        file.warning(
            "W0209",
            &spec.code,
            format!("项目编码 {} 不以部门编码 {} 开头", spec.code.value.trim(), year.department_code),
        );
    }
    for text in project_texts(spec) {
        known_typo(file, text);
    }
    cost_differs_from_funds(file, spec, facts);
}

fn money_unit(
    file: &mut FileCheck,
    indicator: &IndicatorSpec,
    parsed: Option<&IndicatorValue>,
    form: &Form,
    year: &YearContext,
) {
    if !form.def.cost_slots.contains(&indicator.level2.value) {
        return;
    }
    let Some(IndicatorValue::Quantity { unit, .. }) = parsed else { return };
    match (unit.as_deref(), year.money_unit.as_deref()) {
        (None, _) => {
            file.warning("W0203", &indicator.value, format!("成本指标“{}”没有写金额单位", indicator.value.value))
                .set_hint(format!("请写明单位，例如“{} 万元”", indicator.value.value.trim()));
        }
        (Some(unit), Some(money)) if value::is_money_unit(unit) && unit != money => {
            file.warning("W0202", &indicator.value, format!("金额单位“{unit}”与本年度的金额单位“{money}”写法不一致"))
                .set_hint(format!("请统一写作“{money}”；如确属有意，可在项目中写 `allow: [mixed-money-unit]`"));
        }
        _ => {}
    }
}

/// Percentages in 绩效目标 compared with indicators that share their subject.
fn goal_contradicts_indicator(file: &mut FileCheck, spec: &ProjectSpec, facts: &ProjectFacts) {
    for (subject, number) in percentages(&spec.goal.value) {
        for (indicator, parsed) in spec.indicators.iter().zip(&facts.values) {
            let Some(IndicatorValue::Quantity { number: theirs, unit: Some(unit), .. }) = parsed else { continue };
            if unit != "%" || *theirs == number {
                continue;
            }
            let shared = shared_metric(&subject, &indicator.name.value);
            if shared.chars().count() >= 3 {
                file.warning(
                    "W0201",
                    &spec.goal,
                    format!(
                        "绩效目标中“{shared}”为 {number}%，但指标“{}”的指标值是“{}”",
                        indicator.name.value, indicator.value.value
                    ),
                )
                .set_hint("请核对两处数字，使绩效目标与绩效指标一致");
            }
        }
    }
}

/// `(text before the number, number)` for each `N%` in a sentence.
fn percentages(text: &str) -> Vec<(String, Decimal)> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            if j < chars.len() && (chars[j] == '%' || chars[j] == '％') {
                let number: String = chars[start..i].iter().collect();
                if let Ok(number) = value::parse_number(&number) {
                    let clause_start =
                        chars[..start].iter().rposition(|c| "，。；,;".contains(*c)).map_or(0, |p| p + 1);
                    found.push((chars[clause_start..start].iter().collect(), number));
                }
            }
        } else {
            i += 1;
        }
    }
    found
}

/// The longest ending of an indicator's name (the metric it measures, e.g. 限时办结率)
/// that a goal clause mentions.
fn shared_metric(clause: &str, name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    (0..chars.len())
        .map(|start| chars[start..].iter().collect::<String>())
        .find(|ending| clause.contains(ending.as_str()))
        .unwrap_or_default()
}

fn basis_year(file: &mut FileCheck, basis: &Text, budget_year: u32) {
    let chars: Vec<char> = basis.value.chars().collect();
    for window in chars.windows(4).enumerate() {
        let (index, w) = window;
        let before_is_digit = index > 0 && chars[index - 1].is_ascii_digit();
        let after_is_digit = chars.get(index + 4).is_some_and(char::is_ascii_digit);
        if before_is_digit || after_is_digit || !w.iter().all(char::is_ascii_digit) {
            continue;
        }
        let year: String = w.iter().collect();
        if let Ok(y) = year.parse::<u32>()
            && (1990..=2100).contains(&y)
            && y != budget_year
        {
            file.warning("W0208", basis, format!("指标值确定依据中的年份 {y} 与预算年度 {budget_year} 不同"))
                .set_hint(format!("新年度沿用上年规格时，请把依据中的年份改为 {budget_year}"));
            return;
        }
    }
}

fn known_typo(file: &mut FileCheck, text: &Text) {
    for (typo, correct) in KNOWN_TYPOS {
        if text.value.contains(typo) {
            file.warning("W0210", text, format!("“{typo}”疑为“{correct}”之误"));
        }
    }
}

fn cost_differs_from_funds(file: &mut FileCheck, spec: &ProjectSpec, facts: &ProjectFacts) {
    let (Some(funds), Some(amount)) = (&spec.funds, facts.amount) else { return };
    let parts = [&funds.fiscal, &funds.other, &funds.carryover];
    let numbers: Result<Vec<Decimal>, _> =
        parts.iter().filter_map(|p| p.as_ref()).map(|p| value::parse_number(p.value.trim())).collect();
    // Unparsable amounts are already errors (E0315).
    let Ok(numbers) = numbers else { return };
    let Ok(total) = value::checked_sum(&numbers) else {
        if let Some(first) = parts.iter().find_map(|p| p.as_ref()) {
            file.error("E0318", first, "资金情况各项的合计超出了可以精确计算的范围").set_hint("请检查是否多写了位数");
        }
        return;
    };
    if total != amount
        && let Some(first) = parts.iter().find_map(|p| p.as_ref())
    {
        file.warning(
            "W0211",
            first,
            format!(
                "资金情况合计 {} 与成本指标金额合计 {} 不一致",
                value::format_decimal(total),
                value::format_decimal(amount)
            ),
        );
    }
}

/// Every free text of a project (for the typo lint).
fn project_texts(spec: &ProjectSpec) -> Vec<&Text> {
    let mut texts = vec![&spec.name, &spec.purpose, &spec.goal];
    texts.extend(spec.mid_term_goal.as_ref());
    for i in &spec.indicators {
        texts.extend([&i.name, &i.description]);
        texts.extend(i.basis.as_ref());
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_percentages_with_their_clause() {
        let found = percentages("行政审批事项限时办结率达到 95%以上");
        assert_eq!(found, vec![("行政审批事项限时办结率达到 ".to_string(), Decimal::from(95))]);
        assert_eq!(shared_metric("行政审批事项限时办结率达到 ", "政务服务事项限时办结率"), "事项限时办结率");
        assert_eq!(shared_metric("政务服务事项进驻比例提高到 ", "政务服务事项限时办结率"), "");
    }
}
