//! W0207: an indicator named …率 whose value is not a percentage.

use super::{Input, Lint};
use crate::diag::Rule;
use crate::validate::FileCheck;

/// The rule.
pub const RULE: Rule = Rule::warning("W0207", "rate-not-percent", "名称以“率”结尾的指标，指标值却不是百分比。");
/// The lint.
pub const LINT: Lint = Lint { rule: &RULE, check };

/// The suffix of indicator names that are rates (and so want a percentage).
const RATE_SUFFIX: char = '率';

fn check(file: &mut FileCheck, input: &Input) {
    for (indicator, parsed) in input.spec.indicators.iter().zip(&input.facts.values) {
        if indicator.name.value.trim_end().ends_with(RATE_SUFFIX) && parsed.as_ref().is_some_and(|p| !p.is_percent()) {
            file.report(
                &RULE,
                &indicator.value,
                format!("“{}”是比率指标，指标值“{}”却不是百分比", indicator.name.value, indicator.value.value),
            )
            .set_hint("比率指标的指标值应写成百分比，例如“95%以上”");
        }
    }
}
