//! W0201: a percentage in 绩效目标 that contradicts the indicator it names (seed 004: the
//! goal says 限时办结率 95%以上, its 时效指标 100%).

use rust_decimal::Decimal;

use super::{Input, Lint};
use crate::diag::Rule;
use crate::validate::FileCheck;
use crate::value::{self, IndicatorValue};

/// The rule.
pub const RULE: Rule = Rule::warning("W0201", "goal-contradicts-indicator", "绩效目标中的数字与同名指标的指标值矛盾。");
/// The lint.
pub const LINT: Lint = Lint { rule: &RULE, check };

fn check(file: &mut FileCheck, input: &Input) {
    let spec = input.spec;
    let Some(goal) = spec.text("goal") else { return };
    for (subject, number) in percentages(&goal.value) {
        for (indicator, parsed) in spec.indicators.iter().zip(&input.facts.values) {
            let Some(IndicatorValue::Quantity { number: theirs, unit: Some(unit), .. }) = parsed else { continue };
            if unit != "%" || *theirs == number {
                continue;
            }
            let shared = shared_metric(&subject, &indicator.name.value);
            if shared.chars().count() >= 3 {
                file.report(
                    &RULE,
                    goal,
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
