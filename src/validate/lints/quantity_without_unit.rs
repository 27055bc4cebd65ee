//! W0206: a count in a quantity slot (the form's `quantity_slots`) without a unit.

use super::{Input, Lint};
use crate::diag::Rule;
use crate::validate::FileCheck;
use crate::value::IndicatorValue;

/// The rule.
pub const RULE: Rule = Rule::warning("W0206", "quantity-without-unit", "数量指标的指标值没有计量单位。");
/// The lint.
pub const LINT: Lint = Lint { rule: &RULE, check };

fn check(file: &mut FileCheck, input: &Input) {
    for (indicator, parsed) in input.spec.indicators.iter().zip(&input.facts.values) {
        // A unit written in its own field (计量单位) counts.
        let own_unit = indicator.text("unit").is_some_and(|u| !u.value.is_empty());
        if let Some(IndicatorValue::Quantity { unit: None, .. }) = parsed
            && !own_unit
            && input.form.def.quantity_slots.contains(&indicator.level2.value)
        {
            file.report(&RULE, &indicator.value, format!("数量指标的指标值“{}”没有计量单位", indicator.value.value))
                .set_hint("请写明单位，例如“10000 件以上”");
        }
    }
}
