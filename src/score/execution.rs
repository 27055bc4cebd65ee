//! The budget-execution row: 执行率 = 全年执行数 / 全年预算数 (the adjusted budget), and
//! its score, 分值 × 执行率 capped at 分值.

use rust_decimal::Decimal;

/// The execution rate in percent, `None` when the budget is 0 (nothing to execute).
pub fn rate(budget: Decimal, spent: Decimal) -> Option<Decimal> {
    (!budget.is_zero()).then(|| spent * Decimal::ONE_HUNDRED / budget)
}

/// The score of a rate (in percent) for a row of `points`: in proportion, never above
/// the points nor below 0.
pub fn score(points: Decimal, rate: Decimal) -> Decimal {
    (points * rate / Decimal::ONE_HUNDRED).clamp(Decimal::ZERO, points)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn the_rate_is_spent_over_the_adjusted_budget() {
        assert_eq!(rate(d("25"), d("24.3")), Some(d("97.2")));
        assert_eq!(rate(d("0"), d("0")), None);
        assert_eq!(rate(d("50"), d("60")), Some(d("120")));
    }

    #[test]
    fn the_score_is_in_proportion_and_capped() {
        assert_eq!(score(d("10"), d("86")), d("8.6"));
        assert_eq!(score(d("20"), d("86")), d("17.2"), "the 20-point variant");
        assert_eq!(score(d("10"), d("120")), d("10"), "overspending earns no more");
        assert_eq!(score(d("10"), d("100")), d("10"));
        assert_eq!(score(d("0"), d("86")), d("0"), "a form without points");
    }
}
