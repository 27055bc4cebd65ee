//! W0203: a cost amount without a unit (the department file's missing `money_unit` is
//! reported with the same rule, see `validate::department`).

use super::{Input, Lint};
use crate::diag::Rule;
use crate::validate::FileCheck;
use crate::value::IndicatorValue;

/// The rule.
pub const RULE: Rule = Rule::warning("W0203", "missing-money-unit", "成本指标的金额没有写单位，或部门未写金额单位。");
/// The lint.
pub const LINT: Lint = Lint { rule: &RULE, check };

fn check(file: &mut FileCheck, input: &Input) {
    for (indicator, parsed) in input.spec.indicators.iter().zip(&input.facts.values) {
        if input.form.def.cost_slots.contains(&indicator.level2.value)
            && let Some(IndicatorValue::Quantity { unit: None, .. }) = parsed
        {
            file.report(&RULE, &indicator.value, format!("成本指标“{}”没有写金额单位", indicator.value.value))
                .set_hint(format!("请写明单位，例如“{} 万元”", indicator.value.value.as_str()));
        }
    }
}
