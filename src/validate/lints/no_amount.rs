//! W0213: a project without a budget amount for the summary, or a 成本指标 row left out of
//! it (a price such as `1600元/亩` is not an amount): never a silent blank or 0.

use super::{Input, Lint};
use crate::diag::Rule;
use crate::form::{AMOUNT_FROM_COST_ROWS, AMOUNT_FROM_FUNDS};
use crate::validate::FileCheck;
use crate::value::{IndicatorValue, is_money_unit};

/// The rule.
pub const RULE: Rule =
    Rule::warning("W0213", "no-amount", "项目没有可计入汇总表的预算金额，或有成本指标因单位不是金额而未计入。");
/// The lint.
pub const LINT: Lint = Lint { rule: &RULE, check };

fn check(file: &mut FileCheck, input: &Input) {
    let source = input.form.def.amount_from.as_deref().unwrap_or(AMOUNT_FROM_COST_ROWS);
    let mut told = false;
    if source == AMOUNT_FROM_COST_ROWS {
        for (indicator, parsed) in input.spec.indicators.iter().zip(&input.facts.values) {
            if input.form.def.cost_slots.contains(&indicator.level2.value)
                && let Some(IndicatorValue::Quantity { unit: Some(unit), .. }) = parsed
                && !is_money_unit(unit)
            {
                file.report(
                    &RULE,
                    &indicator.value,
                    format!("成本指标“{}”的单位“{unit}”不是金额单位，没有计入汇总表的预算金额", indicator.value.value.as_str()),
                )
                .set_hint("单价等可以写在指标描述中；指标值请写总金额，例如“48 万元”");
                told = true;
            }
        }
    }
    // (An amount that is wrong is an error of its own, already said.)
    if input.facts.amount.is_none() && !told && !file.has_errors() {
        let (message, hint) = match source {
            AMOUNT_FROM_COST_ROWS => (
                "项目没有写成金额的成本指标，汇总表中的预算金额将是空的".to_string(),
                "请在成本指标中写明金额，例如“25 万元”".to_string(),
            ),
            AMOUNT_FROM_FUNDS => (
                "项目没有填写资金情况（funds），汇总表中的预算金额将是空的".to_string(),
                "请在 funds 中填写财政拨款等金额".to_string(),
            ),
            field => (
                format!("项目没有填写 `{field}`（表样从这里取预算金额），汇总表中的预算金额将是空的"),
                format!("请填写 `{field}`，例如 {field}: 120"),
            ),
        };
        file.report(&RULE, &input.spec.code, message).set_hint(hint);
    }
}
