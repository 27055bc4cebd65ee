//! Which printed texts an office file holds as numbers: plain amounts and counts whose
//! digits a spreadsheet keeps exactly (`25`, `12.5`, `1080`). Everything else stays text
//! as printed: `10000 以上`, `98%`, `2024 年预算`, a code (`131003001`), `1.50` (its
//! trailing zero would be lost).

/// The number a printed text is, when a spreadsheet may hold it as one.
pub fn as_number(text: &str) -> Option<f64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = !int.is_empty()
        && int.len() <= 8
        && int.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'))
        && frac.len() <= 4
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (frac.is_empty() || !frac.ends_with('0'))
        && !(digits.contains('.') && frac.is_empty());
    let number: f64 = text.parse().ok().filter(|_| plain)?;
    (shortest(number) == text).then_some(number)
}

/// A number as a spreadsheet cell's value reads back: its shortest decimal form
/// (`25`, `12.5`).
pub fn shortest(number: f64) -> String {
    format!("{number}")
}

/// The spreadsheet number format that prints `text` (an [`as_number`] text) as is.
pub fn format_of(text: &str) -> String {
    match text.split_once('.') {
        Some((_, frac)) => format!("0.{}", "0".repeat(frac.len())),
        None => "0".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_plain_numbers_are_numbers() {
        for (text, number) in [("25", Some(25.0)), ("12.5", Some(12.5)), ("0", Some(0.0)), ("-3", Some(-3.0))] {
            assert_eq!(as_number(text), number, "{text}");
        }
        for text in ["10000 以上", "98%", "131003001", "1.50", "007", "1,000", "", "1.", ".5", "2024 年"] {
            assert_eq!(as_number(text), None, "{text}");
        }
        assert_eq!(format_of("12.5"), "0.0");
        assert_eq!(format_of("25"), "0");
        assert_eq!(shortest(25.0), "25");
    }
}
