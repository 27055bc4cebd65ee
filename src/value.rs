//! Typed 指标值: a value is a quantity (comparison, exact decimal, unit) or qualitative.
//!
//! The original text is what prints; the parsed form is what rules check and what the
//! summary adds up. `以上/以下` include the number itself (`98%以上` means ≥ 98%).

use std::str::FromStr;

use rust_decimal::Decimal;

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
    /// A qualitative value (定性): 完成, 良好, 达到, 促进, …
    Qualitative(String),
}

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
        let digits_end = rest
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ',' || *c == '-'))
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let (number_text, unit_text) = rest.split_at(digits_end);
        if number_text.is_empty() {
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
        Ok(IndicatorValue::Quantity { cmp, number, unit })
    }

    /// The unit of a quantity, if any.
    pub fn unit(&self) -> Option<&str> {
        match self {
            IndicatorValue::Quantity { unit, .. } => unit.as_deref(),
            IndicatorValue::Qualitative(_) => None,
        }
    }

    /// Whether this is a percentage.
    pub fn is_percent(&self) -> bool {
        self.unit() == Some("%")
    }
}

fn prefix_text(t: &str) -> &str {
    PREFIXES.iter().find(|(p, _)| t.starts_with(p)).map(|(p, _)| *p).unwrap_or("")
}

fn is_fullwidth_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

/// Parses `1,234.50` or `-3` into an exact decimal; thousands separators must be
/// well placed.
pub fn parse_number(text: &str) -> Result<Decimal, ValueError> {
    let bad = || ValueError(format!("“{text}”不是有效的数字"));
    let (int_part, _) = text.split_once('.').unwrap_or((text, ""));
    if int_part.contains(',') {
        let groups: Vec<&str> = int_part.trim_start_matches('-').split(',').collect();
        let well_formed =
            groups.first().is_some_and(|g| (1..=3).contains(&g.len())) && groups[1..].iter().all(|g| g.len() == 3);
        if !well_formed {
            return Err(bad());
        }
    }
    Decimal::from_str(&text.replace(',', "")).map_err(|_| bad())
}

/// Money units that mean 10,000 yuan, and those that mean one yuan.
const WAN: &[&str] = &["万元", "万"];
const YUAN: &[&str] = &["元"];

/// Converts an amount to the department's money unit (`万元` or `元`), exactly.
/// Returns `None` when either unit is not a money unit.
pub fn to_money_unit(number: Decimal, unit: &str, money_unit: &str) -> Option<Decimal> {
    let scale = |u: &str| -> Option<Decimal> {
        if WAN.contains(&u) {
            Some(Decimal::from(10_000))
        } else if YUAN.contains(&u) {
            Some(Decimal::ONE)
        } else {
            None
        }
    };
    Some(number * scale(unit)? / scale(money_unit)?)
}

/// Whether a unit is a money unit.
pub fn is_money_unit(unit: &str) -> bool {
    WAN.contains(&unit) || YUAN.contains(&unit)
}

/// Formats a decimal for print: no trailing zeros after the point, no exponent.
pub fn format_decimal(number: Decimal) -> String {
    number.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(cmp: Cmp, n: &str, unit: Option<&str>) -> IndicatorValue {
        IndicatorValue::Quantity { cmp, number: Decimal::from_str(n).unwrap(), unit: unit.map(str::to_string) }
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
    fn converts_money_exactly() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(to_money_unit(d("34"), "万", "万元"), Some(d("34")));
        assert_eq!(to_money_unit(d("3309840.00"), "元", "万元"), Some(d("330.984")));
        assert_eq!(to_money_unit(d("1"), "次", "万元"), None);
        assert_eq!(format_decimal(d("896.00")), "896");
    }
}
