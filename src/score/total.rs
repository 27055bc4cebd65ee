//! The total of a project's printed scores and its grade (优 ≥ 90, 良, 中, 差 < 60).

use rust_decimal::Decimal;

use super::Grade;

/// The total: the sum of the scores as printed, so that the printed column adds up.
pub fn total<'a>(printed: impl IntoIterator<Item = &'a Decimal>) -> Decimal {
    printed.into_iter().sum()
}

/// The grade of a total: the first of the form's grades (highest first) whose minimum
/// it reaches.
pub fn grade(grades: &[Grade], total: Decimal) -> Option<&Grade> {
    grades.iter().find(|g| total >= g.min)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn grades() -> Vec<Grade> {
        [("优", "90"), ("良", "80"), ("中", "60"), ("差", "0")]
            .into_iter()
            .map(|(label, min)| Grade { label: label.into(), min: d(min) })
            .collect()
    }

    #[test]
    fn the_grade_boundaries_belong_to_the_higher_grade() {
        let grades = grades();
        let of = |t: &str| grade(&grades, d(t)).map(|g| g.label.as_str());
        assert_eq!(of("100"), Some("优"));
        assert_eq!(of("90"), Some("优"));
        assert_eq!(of("89.99"), Some("良"));
        assert_eq!(of("80"), Some("良"));
        assert_eq!(of("79.99"), Some("中"));
        assert_eq!(of("60"), Some("中"));
        assert_eq!(of("59.99"), Some("差"));
        assert_eq!(of("0"), Some("差"));
    }

    #[test]
    fn the_total_adds_the_printed_scores() {
        assert_eq!(total(&[d("9.72"), d("8"), d("30.00")]), d("47.72"));
    }
}
