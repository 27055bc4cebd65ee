//! The one number grammar every value uses, exact sums, money units and printing.

use rust_decimal::Decimal;

use super::ValueError;

/// Most significant digits a number may have: what an exact decimal holds without
/// rounding.
pub const MAX_DIGITS: usize = 28;

/// Parses a number in the one grammar every value uses: an optional `-`, digits, an
/// optional `.` with digits; thousands separators (`1,234.50`) only where `thousands` is
/// true, and then well placed. No `+`, exponent, `_`, spaces or full-width digits, and at
/// most [`MAX_DIGITS`] significant digits, so the decimal is exactly what was written.
pub fn parse_number_with(text: &str, thousands: bool) -> Result<Decimal, ValueError> {
    let bad = || ValueError(format!("“{text}”不是有效的数字"));
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int_part, frac_part) = match unsigned.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (unsigned, None),
    };
    if int_part.is_empty() || frac_part.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return Err(bad());
    }
    let groups: Vec<&str> = int_part.split(',').collect();
    if groups.len() > 1 {
        let well_formed = thousands && (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
        if !well_formed {
            return Err(bad());
        }
    }
    if !groups.iter().all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit())) {
        return Err(bad());
    }
    let digits: String = groups.concat();
    let significant = digits.trim_start_matches('0').len() + frac_part.map_or(0, str::len);
    if significant > MAX_DIGITS {
        return Err(ValueError(format!("“{text}”的有效数字超过 {MAX_DIGITS} 位，无法精确计算")));
    }
    let plain = match frac_part {
        Some(frac) => format!("{}{digits}.{frac}", if text.starts_with('-') { "-" } else { "" }),
        None => format!("{}{digits}", if text.starts_with('-') { "-" } else { "" }),
    };
    Decimal::from_str_exact(&plain).map_err(|_| bad())
}

/// Parses a number that may have thousands separators (`1,234.50`, `-3`); see
/// [`parse_number_with`].
pub fn parse_number(text: &str) -> Result<Decimal, ValueError> {
    parse_number_with(text, true)
}

/// A sum or product that left the range of exact decimals (about 7.9 × 10²⁸).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// Adds exactly, or says the result is out of range.
pub fn checked_sum<'a>(numbers: impl IntoIterator<Item = &'a Decimal>) -> Result<Decimal, Overflow> {
    numbers.into_iter().try_fold(Decimal::ZERO, |sum, n| sum.checked_add(*n).ok_or(Overflow))
}

/// Money units that mean 10,000 yuan, and those that mean one yuan.
const WAN: &[&str] = &["万元", "万"];
const YUAN: &[&str] = &["元"];

/// Converts an amount to the department's money unit (`万元` or `元`), exactly.
/// Returns `Ok(None)` when either unit is not a money unit, and `Err` when the converted
/// amount is out of range.
pub fn to_money_unit(number: Decimal, unit: &str, money_unit: &str) -> Result<Option<Decimal>, Overflow> {
    let scale = |u: &str| -> Option<Decimal> {
        if WAN.contains(&u) {
            Some(Decimal::from(10_000))
        } else if YUAN.contains(&u) {
            Some(Decimal::ONE)
        } else {
            None
        }
    };
    let (Some(from), Some(to)) = (scale(unit), scale(money_unit)) else { return Ok(None) };
    let converted = number.checked_mul(from).and_then(|n| n.checked_div(to)).ok_or(Overflow)?;
    Ok(Some(converted))
}

/// Whether a unit is a money unit.
pub fn is_money_unit(unit: &str) -> bool {
    WAN.contains(&unit) || YUAN.contains(&unit)
}

/// Formats a decimal for print: no trailing zeros after the point, no exponent.
pub fn format_decimal(number: Decimal) -> String {
    number.normalize().to_string()
}
