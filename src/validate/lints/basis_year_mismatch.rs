//! W0208: a year in 指标值确定依据 other than the budget year (a spec copied from last year).

use super::{Input, Lint};
use crate::diag::Rule;
use crate::model::Text;
use crate::validate::FileCheck;

/// The rule.
pub const RULE: Rule = Rule::warning("W0208", "basis-year-mismatch", "指标值确定依据中的年份与预算年度不同。");
/// The lint.
pub const LINT: Lint = Lint { rule: &RULE, check };

fn check(file: &mut FileCheck, input: &Input) {
    if input.year.year == 0 {
        return;
    }
    for basis in input.spec.indicators.iter().filter_map(|i| i.text("basis")) {
        basis_year(file, basis, input.year.year);
    }
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
            file.report(&RULE, basis, format!("指标值确定依据中的年份 {y} 与预算年度 {budget_year} 不同"))
                .set_hint(format!("新年度沿用上年规格时，请把依据中的年份改为 {budget_year}"));
            return;
        }
    }
}
