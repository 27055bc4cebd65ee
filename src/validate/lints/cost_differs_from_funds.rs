//! W0211: the money block (funds) adds up to another amount than the cost indicators.

use rust_decimal::Decimal;

use super::{Input, Lint};
use crate::diag::{Rule, rules};
use crate::validate::FileCheck;
use crate::value;

/// The rule.
pub const RULE: Rule = Rule::warning("W0211", "cost-differs-from-funds", "成本指标金额与资金情况（funds）合计不一致。");
/// The lint.
pub const LINT: Lint = Lint { rule: &RULE, check };

fn check(file: &mut FileCheck, input: &Input) {
    let (Some(funds), Some(amount)) = (&input.spec.funds, input.facts.amount) else { return };
    // A form whose money block has more parts than funds declares their sum: compare with it.
    if let Some(sum) = input.form.def.sums.iter().find(|s| s.parts.iter().any(|p| p.starts_with("funds.")))
        && let Some(first) = [&funds.fiscal, &funds.other, &funds.carryover].into_iter().flatten().next()
    {
        if let Some(total) = input.spec.sum_money(&sum.parts)
            && total != amount
        {
            file.report(
                &RULE,
                first,
                format!(
                    "资金合计 {} 与成本指标金额合计 {} 不一致",
                    value::format_decimal(total),
                    value::format_decimal(amount)
                ),
            );
        }
        return;
    }
    let parts = [&funds.fiscal, &funds.other, &funds.carryover];
    // Blank parts count as nothing; a part may carry its unit (`250万`).
    let numbers: Result<Vec<Decimal>, _> = parts
        .iter()
        .filter_map(|p| p.as_ref())
        .filter(|p| !p.value.is_empty())
        .map(|p| value::amount(p.value.as_str()).map(|(n, _)| n))
        .collect();
    // Unparsable amounts are already errors (E0315).
    let Ok(numbers) = numbers else { return };
    let Some(first) = parts.iter().find_map(|p| p.as_ref()) else { return };
    let Ok(total) = value::checked_sum(&numbers) else {
        file.report(&rules::E0318, first, "资金情况各项的合计超出了可以精确计算的范围")
            .set_hint("请检查是否多写了位数");
        return;
    };
    if total != amount {
        file.report(
            &RULE,
            first,
            format!(
                "资金情况合计 {} 与成本指标金额合计 {} 不一致",
                value::format_decimal(total),
                value::format_decimal(amount)
            ),
        );
    }
}
