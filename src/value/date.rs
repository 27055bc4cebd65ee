//! Dates and date ranges as clerks write them (项目期限, 填报日期, 实施期).

use super::RANGE_SEPARATORS;

/// A date: year, and month and day where written.
pub type Date = (u32, Option<u32>, Option<u32>);

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's civil-from-days,
/// exact): (year, month, day).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// A date as written: `2024`, `2024-03`, `2024.03`, `2024/3`, `2024-03-31`, `2024年3月`,
/// `2024年3月31日`. Gives (year, month, day).
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim().trim_end_matches('日');
    let parts: Vec<&str> = t.split(['-', '.', '/', '年', '月']).map(str::trim).filter(|p| !p.is_empty()).collect();
    let number = |p: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<u32>().ok()).flatten()
    };
    let year = number(parts.first()?, 4..=4)?;
    let month =
        parts.get(1).map(|p| number(p, 1..=2).filter(|m| (1..=12).contains(m))).map_or(Some(None), |m| m.map(Some))?;
    let day =
        parts.get(2).map(|p| number(p, 1..=2).filter(|d| (1..=31).contains(d))).map_or(Some(None), |d| d.map(Some))?;
    (parts.len() <= 3 && (1900..=2200).contains(&year)).then_some((year, month, day))
}

/// A date range as written: two dates joined by `至`, `~`, `～`, `–`, `—` or `-`
/// (`2024-01 至 2026-12`, `2023.07-2024.01`).
pub fn parse_date_range(text: &str) -> Option<(Date, Date)> {
    let t = text.trim();
    for separator in RANGE_SEPARATORS {
        if let Some((a, b)) = t.split_once(separator) {
            return parse_date(a).zip(parse_date(b)).filter(|(a, b)| a <= b);
        }
    }
    t.match_indices('-').find_map(|(i, _)| parse_date(&t[..i]).zip(parse_date(&t[i + 1..]))).filter(|(a, b)| a <= b)
}
