//! The difference of two values in their unit: `25 万元 → 30 万元` is `+5 万元`,
//! `98%以上 → 95%以上` is `−3 个百分点`, `1000 件以上 → 1200 件以上` is `+200 件`.

use rust_decimal::Decimal;
use serde::Serialize;

use super::flat::Measure;
use crate::value::{IndicatorValue, format_decimal, parse_number};

/// A numeric difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delta {
    /// The difference, signed, exact (e.g. `"+5"`, `"-3"`).
    pub amount: String,
    /// Its unit (`万元`, `个百分点`, `件`; `""` for a bare number).
    pub unit: String,
    /// As printed: `+5 万元`, `−3 个百分点` (with a minus sign, U+2212).
    pub text: String,
}

impl Delta {
    /// The difference `new - old` in `unit`; `None` when it overflows.
    pub fn between(old: Decimal, new: Decimal, unit: &str) -> Option<Delta> {
        let difference = new.checked_sub(old)?;
        let magnitude = format_decimal(difference.abs());
        let (sign, printed_sign) =
            if difference.is_sign_negative() && !difference.is_zero() { ("-", "−") } else { ("+", "+") };
        let text = if unit.is_empty() {
            format!("{printed_sign}{magnitude}")
        } else {
            format!("{printed_sign}{magnitude} {unit}")
        };
        Some(Delta { amount: format!("{sign}{magnitude}"), unit: unit.to_string(), text })
    }
}

/// The delta of a changed field when both values are numbers in the same unit.
pub fn of(measure: Measure, old: &str, new: &str, money_unit: &str) -> Option<Delta> {
    match measure {
        Measure::Text => None,
        Measure::Money => Delta::between(parse_number(old).ok()?, parse_number(new).ok()?, money_unit),
        Measure::Number => Delta::between(parse_number(old).ok()?, parse_number(new).ok()?, ""),
        Measure::Percent => {
            let number = |t: &str| parse_number(t.trim().trim_end_matches(['%', '％']).trim()).ok();
            Delta::between(number(old)?, number(new)?, "个百分点")
        }
        Measure::IndicatorValue => {
            let (
                IndicatorValue::Quantity { number: a, unit: unit_a, .. },
                IndicatorValue::Quantity { number: b, unit: unit_b, .. },
            ) = (IndicatorValue::parse(old).ok()?, IndicatorValue::parse(new).ok()?)
            else {
                return None;
            };
            if unit_a != unit_b {
                return None;
            }
            let unit = match unit_a.as_deref() {
                Some("%") => "个百分点",
                Some(unit) => unit,
                None => "",
            };
            Delta::between(a, b, unit)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_in_their_units() {
        let text = |m, a, b| of(m, a, b, "万元").map(|d| d.text);
        assert_eq!(text(Measure::IndicatorValue, "25 万元", "30 万元").as_deref(), Some("+5 万元"));
        assert_eq!(text(Measure::IndicatorValue, "98%以上", "95%以上").as_deref(), Some("−3 个百分点"));
        assert_eq!(text(Measure::IndicatorValue, "1000 件以上", "1200 件以上").as_deref(), Some("+200 件"));
        assert_eq!(text(Measure::IndicatorValue, "≥95%", "≥95.5%").as_deref(), Some("+0.5 个百分点"));
        assert_eq!(text(Measure::IndicatorValue, "完成", "良好"), None);
        assert_eq!(text(Measure::IndicatorValue, "10 件", "10 次"), None);
        assert_eq!(text(Measure::Percent, "10%", "25"), Some("+15 个百分点".into()));
        assert_eq!(text(Measure::Money, "12.5", "10"), Some("−2.5 万元".into()));
        assert_eq!(of(Measure::Money, "12.5", "10", "万元").unwrap().amount, "-2.5");
    }
}
