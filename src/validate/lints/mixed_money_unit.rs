//! W0202: an amount written in another spelling of the year's money unit (万 vs 万元;
//! seed 003, 006, 007, 008).

use super::{Input, Lint};
use crate::diag::Rule;
use crate::validate::FileCheck;
use crate::value::{self, IndicatorValue};

/// The rule.
pub const RULE: Rule =
    Rule::warning("W0202", "mixed-money-unit", "金额单位与部门的金额单位写法不一致（如“万”与“万元”）。");
/// The lint.
pub const LINT: Lint = Lint { rule: &RULE, check };

fn check(file: &mut FileCheck, input: &Input) {
    let Some(money) = input.year.money_unit.as_deref() else { return };
    for (indicator, parsed) in input.spec.indicators.iter().zip(&input.facts.values) {
        if !input.form.def.cost_slots.contains(&indicator.level2.value) {
            continue;
        }
        if let Some(IndicatorValue::Quantity { unit: Some(unit), .. }) = parsed
            && value::is_money_unit(unit)
            && unit != money
        {
            file.report(&RULE, &indicator.value, format!("金额单位“{unit}”与本年度的金额单位“{money}”写法不一致"))
                .set_hint(format!("请统一写作“{money}”；如确属有意，可在项目中写 `allow: [mixed-money-unit]`"));
        }
    }
}
