//! Typed 指标值: a value is a quantity (comparison, exact decimal, unit) or qualitative.
//!
//! The original text is what prints; the parsed form is what rules check and what the
//! summary adds up. `以上/以下` include the number itself (`98%以上` means ≥ 98%).
//! Numbers have one strict grammar ([`number`]); dates and date ranges are read by
//! [`date`].

mod date;
mod number;

use rust_decimal::Decimal;

pub use date::{Date, civil_from_days, parse_date, parse_date_range};
pub use number::{
    MAX_DIGITS, Overflow, checked_sum, format_decimal, is_money_unit, parse_number, parse_number_with, to_money_unit,
};

/// How a quantity compares with its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// Exactly (a bare number, `=`).
    Eq,
    /// At least (`≥`, `以上`, `不低于`, `不少于`).
    Ge,
    /// At most (`≤`, `以下`, `不高于`, `不超过`).
    Le,
    /// More than (`>`, `大于`, `超过`).
    Gt,
    /// Less than (`<`, `小于`, `低于`).
    Lt,
}

/// A parsed 指标值.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndicatorValue {
    /// A number with comparison and optional unit (`%`, `万元`, `次`, …).
    Quantity {
        /// The comparison.
        cmp: Cmp,
        /// The exact number.
        number: Decimal,
        /// The unit as written (`％` is normalised to `%`), if any.
        unit: Option<String>,
    },
    /// A range (`80%–90%`, `2023.07-2024.01`, `5~10 个`): both ends included.
    Range {
        /// The lower end.
        low: Decimal,
        /// The upper end.
        high: Decimal,
        /// The unit as written (`％` is normalised to `%`), if any.
        unit: Option<String>,
    },
    /// A change against a baseline (`缩短 50%`, `较上年增长 15%`, `减少 20%以上`, `下降 5
    /// 个百分点`): a direction and by how much (a quantity or a range). Its number is
    /// not an amount of the project: it is never added to a total.
    Change {
        /// Whether the figure is to rise (增长, 提高…) rather than fall (减少, 缩短…).
        rising: bool,
        /// What it is compared with, as written (`较上年`), if said.
        baseline: Option<String>,
        /// By how much.
        by: Box<IndicatorValue>,
    },
    /// A qualitative value (定性): 完成, 良好, 达到, 促进, …
    Qualitative(String),
}

/// Words for a baseline written before a change (`较上年增长 15%`).
const BASELINES: &[&str] =
    &["较上年", "比上年", "较去年", "比去年", "同比", "环比", "较上一年", "比上一年", "较基期", "较现有"];

/// Words for the direction of a change.
const RISING: &[&str] = &["增长", "增加", "提高", "提升", "上升", "扩大", "增幅"];
const FALLING: &[&str] = &["减少", "降低", "下降", "缩短", "缩减", "压缩", "节约", "节省", "减幅"];

/// What separates the ends of a range (`-` only between two numbers).
const RANGE_SEPARATORS: &[&str] = &["～", "~", "–", "—", "至", "到"];

/// Why a value that looks numeric does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError(pub String);

const PREFIXES: &[(&str, Cmp)] = &[
    ("≥", Cmp::Ge),
    (">=", Cmp::Ge),
    ("＞＝", Cmp::Ge),
    ("≤", Cmp::Le),
    ("<=", Cmp::Le),
    ("＜＝", Cmp::Le),
    ("＞", Cmp::Gt),
    (">", Cmp::Gt),
    ("＜", Cmp::Lt),
    ("<", Cmp::Lt),
    ("＝", Cmp::Eq),
    ("=", Cmp::Eq),
    ("不低于", Cmp::Ge),
    ("不少于", Cmp::Ge),
    ("不小于", Cmp::Ge),
    ("不高于", Cmp::Le),
    ("不超过", Cmp::Le),
    ("不多于", Cmp::Le),
    ("不大于", Cmp::Le),
    ("大于", Cmp::Gt),
    ("超过", Cmp::Gt),
    ("多于", Cmp::Gt),
    ("高于", Cmp::Gt),
    ("小于", Cmp::Lt),
    ("低于", Cmp::Lt),
    ("少于", Cmp::Lt),
    ("达到", Cmp::Ge),
];

const SUFFIXES: &[(&str, Cmp)] =
    &[("及以上", Cmp::Ge), ("以上", Cmp::Ge), ("及以下", Cmp::Le), ("以下", Cmp::Le), ("以内", Cmp::Le)];

impl IndicatorValue {
    /// Parses a value. Text without any digit is qualitative; text with digits must be a
    /// well-formed quantity.
    pub fn parse(text: &str) -> Result<IndicatorValue, ValueError> {
        let t = text.trim();
        if !t.chars().any(|c| c.is_ascii_digit() || is_fullwidth_digit(c)) {
            return Ok(IndicatorValue::Qualitative(t.to_string()));
        }
        if let Some(change) = change(t) {
            return change;
        }
        let mut rest = t;
        let mut cmp = Cmp::Eq;
        for (prefix, c) in PREFIXES {
            if let Some(r) = rest.strip_prefix(prefix) {
                cmp = *c;
                rest = r.trim_start();
                break;
            }
        }
        for (suffix, c) in SUFFIXES {
            if let Some(r) = rest.strip_suffix(suffix) {
                if cmp != Cmp::Eq && cmp != *c {
                    return Err(ValueError(format!("比较方向矛盾：前面是“{}”，后面是“{suffix}”", prefix_text(t))));
                }
                cmp = *c;
                rest = r.trim_end();
                break;
            }
        }
        if cmp == Cmp::Eq
            && let Some((low, high)) = split_range(rest)
        {
            let (low, low_unit) = amount(low)?;
            let (high, high_unit) = amount(high)?;
            let unit = match (low_unit, high_unit) {
                (Some(a), Some(b)) if a != b => {
                    return Err(ValueError(format!("区间两端的单位不同：“{a}”和“{b}”")));
                }
                (a, b) => b.or(a),
            };
            if low > high {
                return Err(ValueError(format!("区间的下限 {low} 大于上限 {high}")));
            }
            return Ok(IndicatorValue::Range { low, high, unit });
        }
        let (number, unit) = amount(rest)?;
        Ok(IndicatorValue::Quantity { cmp, number, unit })
    }

    /// The unit of a quantity, if any.
    pub fn unit(&self) -> Option<&str> {
        match self {
            IndicatorValue::Quantity { unit, .. } | IndicatorValue::Range { unit, .. } => unit.as_deref(),
            IndicatorValue::Change { by, .. } => by.unit(),
            IndicatorValue::Qualitative(_) => None,
        }
    }

    /// Whether this is a percentage.
    pub fn is_percent(&self) -> bool {
        self.unit() == Some("%")
    }
}

/// A change against a baseline, when `text` starts with one (a baseline word and/or a
/// direction word); `None` for any other text.
fn change(text: &str) -> Option<Result<IndicatorValue, ValueError>> {
    let mut rest = text;
    let mut baseline = None;
    if let Some(word) = BASELINES.iter().find(|w| rest.starts_with(*w)) {
        baseline = Some((*word).to_string());
        rest = rest[word.len()..].trim_start();
    }
    let (rising, word) = RISING
        .iter()
        .map(|w| (true, *w))
        .chain(FALLING.iter().map(|w| (false, *w)))
        .find(|(_, w)| rest.starts_with(w))?;
    let rest = rest[word.len()..].trim_start();
    // 个百分点 is a unit of its own: a change of a percentage, in points.
    let by = match IndicatorValue::parse(rest) {
        Ok(by @ (IndicatorValue::Quantity { .. } | IndicatorValue::Range { .. })) => by,
        Ok(_) => return Some(Err(ValueError(format!("“{word}”后面应是数字和单位，如“{word} 10%”")))),
        Err(e) => return Some(Err(e)),
    };
    Some(Ok(IndicatorValue::Change { rising, baseline, by: Box::new(by) }))
}

/// The two ends of a range, when `text` is one: split at a range sign, or at a `-`
/// that stands between two digits (so `-5` stays a negative number).
fn split_range(text: &str) -> Option<(&str, &str)> {
    for separator in RANGE_SEPARATORS {
        if let Some((low, high)) = text.split_once(separator)
            && !low.trim().is_empty()
            && !high.trim().is_empty()
        {
            return Some((low.trim(), high.trim()));
        }
    }
    let bytes = text.as_bytes();
    (1..bytes.len().saturating_sub(1))
        .find(|&i| {
            bytes[i] == b'-'
                && text[..i].trim_end().chars().last().is_some_and(|c| c.is_ascii_digit() || c == '%' || !c.is_ascii())
                && text[i + 1..].trim_start().chars().next().is_some_and(|c| c.is_ascii_digit())
                && text[..i].chars().any(|c| c.is_ascii_digit())
        })
        .map(|i| (text[..i].trim(), text[i + 1..].trim()))
}

/// A number and its unit: `25 万元`, `98%`, `250万`, `10000`.
pub fn amount(text: &str) -> Result<(Decimal, Option<String>), ValueError> {
    let rest = text.trim();
    let digits_end = rest
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || *c == ',' || (*c == '-' && *i == 0)))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let (number_text, unit_text) = rest.split_at(digits_end);
    if number_text.is_empty() || number_text == "-" {
        if rest.chars().next().is_some_and(is_fullwidth_digit) {
            return Err(ValueError("数字是全角字符，请改用半角数字（如 98 而不是 ９８）".into()));
        }
        return Err(ValueError("含有数字，但不是“比较词 + 数字 + 单位”的形式".into()));
    }
    let number = parse_number(number_text)?;
    let unit = unit_text.trim();
    if unit.chars().any(|c| c.is_ascii_digit() || is_fullwidth_digit(c)) {
        return Err(ValueError(format!("单位“{unit}”中含有数字")));
    }
    let unit = match unit {
        "" => None,
        "％" => Some("%".to_string()),
        u => Some(u.to_string()),
    };
    Ok((number, unit))
}

fn prefix_text(t: &str) -> &str {
    PREFIXES.iter().find(|(p, _)| t.starts_with(p)).map(|(p, _)| *p).unwrap_or("")
}

fn is_fullwidth_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn q(cmp: Cmp, n: &str, unit: Option<&str>) -> IndicatorValue {
        IndicatorValue::Quantity { cmp, number: Decimal::from_str(n).unwrap(), unit: unit.map(str::to_string) }
    }

    #[test]
    fn changes_against_a_baseline_are_understood() {
        let change = |rising: bool, baseline: Option<&str>, by: IndicatorValue| IndicatorValue::Change {
            rising,
            baseline: baseline.map(str::to_string),
            by: Box::new(by),
        };
        assert_eq!(IndicatorValue::parse("缩短 50%"), Ok(change(false, None, q(Cmp::Eq, "50", Some("%")))));
        assert_eq!(
            IndicatorValue::parse("较上年增长 15%"),
            Ok(change(true, Some("较上年"), q(Cmp::Eq, "15", Some("%"))))
        );
        assert_eq!(IndicatorValue::parse("减少 20%以上"), Ok(change(false, None, q(Cmp::Ge, "20", Some("%")))));
        assert_eq!(
            IndicatorValue::parse("下降 5 个百分点"),
            Ok(change(false, None, q(Cmp::Eq, "5", Some("个百分点"))))
        );
        assert_eq!(IndicatorValue::parse("提高 5%-10%").map(|v| v.unit().map(str::to_string)), Ok(Some("%".into())));
        assert!(IndicatorValue::parse("提高 很多 3").is_err(), "a direction must be followed by a number");
        assert_eq!(IndicatorValue::parse("提高"), Ok(IndicatorValue::Qualitative("提高".into())));
    }

    #[test]
    fn parses_the_seed_forms() {
        assert_eq!(IndicatorValue::parse("100%"), Ok(q(Cmp::Eq, "100", Some("%"))));
        assert_eq!(IndicatorValue::parse("98%以上"), Ok(q(Cmp::Ge, "98", Some("%"))));
        assert_eq!(IndicatorValue::parse("10000 以上"), Ok(q(Cmp::Ge, "10000", None)));
        assert_eq!(IndicatorValue::parse("20 次以上"), Ok(q(Cmp::Ge, "20", Some("次"))));
        assert_eq!(IndicatorValue::parse("25 万元"), Ok(q(Cmp::Eq, "25", Some("万元"))));
        assert_eq!(IndicatorValue::parse("34 万"), Ok(q(Cmp::Eq, "34", Some("万"))));
        assert_eq!(IndicatorValue::parse("完成"), Ok(IndicatorValue::Qualitative("完成".into())));
    }

    #[test]
    fn ranges_dates_and_units() {
        let d = |n: &str| Decimal::from_str(n).unwrap();
        let range = |low: &str, high: &str, unit: Option<&str>| IndicatorValue::Range {
            low: d(low),
            high: d(high),
            unit: unit.map(str::to_string),
        };
        assert_eq!(IndicatorValue::parse("80%–90%"), Ok(range("80", "90", Some("%"))));
        assert_eq!(IndicatorValue::parse("80-90%"), Ok(range("80", "90", Some("%"))));
        assert_eq!(IndicatorValue::parse("2023.07-2024.01"), Ok(range("2023.07", "2024.01", None)));
        assert_eq!(IndicatorValue::parse("5~10 个"), Ok(range("5", "10", Some("个"))));
        assert!(IndicatorValue::parse("90%-80%").is_err());
        assert!(IndicatorValue::parse("5 个-10 次").is_err());
        assert_eq!(IndicatorValue::parse("-5"), Ok(q(Cmp::Eq, "-5", None)));
        assert_eq!(IndicatorValue::parse("250万"), Ok(q(Cmp::Eq, "250", Some("万"))));
        assert_eq!(IndicatorValue::parse("3 米"), Ok(q(Cmp::Eq, "3", Some("米"))));
        assert_eq!(IndicatorValue::parse("100M"), Ok(q(Cmp::Eq, "100", Some("M"))));
        assert_eq!(parse_date("2024-03"), Some((2024, Some(3), None)));
        assert_eq!(parse_date("2024年3月31日"), Some((2024, Some(3), Some(31))));
        assert_eq!(parse_date("2024.13"), None);
        assert_eq!(parse_date("24-03"), None);
        assert!(parse_date_range("2024-01 至 2026-12").is_some());
        assert!(parse_date_range("2023.07-2024.01").is_some());
        assert!(parse_date_range("2024-01-01-2024-12-31").is_some());
        assert!(parse_date_range("2025-01 至 2024-12").is_none());
    }

    #[test]
    fn parses_other_forms() {
        assert_eq!(IndicatorValue::parse("≥90%"), Ok(q(Cmp::Ge, "90", Some("%"))));
        assert_eq!(IndicatorValue::parse("≤5%"), Ok(q(Cmp::Le, "5", Some("%"))));
        assert_eq!(IndicatorValue::parse("=100%"), Ok(q(Cmp::Eq, "100", Some("%"))));
        assert_eq!(IndicatorValue::parse("3,309,840.00"), Ok(q(Cmp::Eq, "3309840.00", None)));
        assert_eq!(IndicatorValue::parse("不低于 95％"), Ok(q(Cmp::Ge, "95", Some("%"))));
        assert_eq!(IndicatorValue::parse("优良"), Ok(IndicatorValue::Qualitative("优良".into())));
    }

    #[test]
    fn rejects_broken_numbers() {
        assert!(IndicatorValue::parse("1,00,0 元").is_err());
        assert!(IndicatorValue::parse("9.8.1%").is_err());
        assert!(IndicatorValue::parse("≥以上90%").is_err());
        assert!(IndicatorValue::parse("９８%").is_err());
        assert!(IndicatorValue::parse("≥90%以下").is_err());
    }

    #[test]
    fn numbers_have_one_strict_grammar() {
        let ok = |s: &str| parse_number(s).map(|d| d.to_string());
        assert_eq!(ok("1,234.50"), Ok("1234.50".into()));
        assert_eq!(ok("-3"), Ok("-3".into()));
        assert_eq!(ok("0.5"), Ok("0.5".into()));
        for bad in ["1e2", "1_00", "+5", " 5", "5.", ".5", "1,00", "1,0000", "", "-", "1.2.3", "１２", "0x10"] {
            assert!(parse_number(bad).is_err(), "{bad:?} is refused");
        }
        assert!(parse_number_with("1,000", false).is_err(), "no separators where they are not allowed");
        assert!(parse_number(&"9".repeat(28)).is_ok());
        assert!(parse_number(&"9".repeat(29)).is_err(), "29 digits would round");
        assert!(parse_number("99.999999999999999999999999999").is_err(), "29 significant digits");
        assert!(parse_number("100.000000000000000000000000000001").is_err());
        assert!(IndicatorValue::parse("100.000000000000000000000000000001%").is_err());
    }

    #[test]
    fn converts_money_exactly() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(to_money_unit(d("34"), "万", "万元"), Ok(Some(d("34"))));
        assert_eq!(to_money_unit(d("3309840.00"), "元", "万元"), Ok(Some(d("330.984"))));
        assert_eq!(to_money_unit(d("1"), "次", "万元"), Ok(None));
        let huge = d("10000000000000000000000000");
        assert_eq!(to_money_unit(huge, "万元", "元"), Err(Overflow), "×10000 leaves the range");
        assert_eq!(
            checked_sum(&[d("50000000000000000000000000000"), d("50000000000000000000000000000")]),
            Err(Overflow)
        );
        assert_eq!(format_decimal(d("896.00")), "896");
    }
}
