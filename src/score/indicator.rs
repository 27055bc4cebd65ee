//! One indicator's score: a quantitative one by its direction (CYCLE.md §2, as the
//! budget systems compute it), a qualitative one within its grade's band. Scores here
//! are exact and unrounded; rounding is the form's ([`super::Rounding`]).

use rust_decimal::Decimal;

use super::{Band, Direction, ReverseFormula};

/// The score of a quantitative indicator with points `w`, target `a` and actual `b`,
/// never below 0 nor above `w`:
///
/// - 正向: `b ≥ a` → `w`, else `w × b / a`;
/// - 反向: `b ≤ a` → `w`; between `a` and `2a` → `w × (1 − (b − a) / a)` (or `w × a / b`,
///   [`ReverseFormula::Ratio`]); from `2a` on → 0;
/// - 等于: as 正向, except a target of 0: `w` when `b ≤ 0`, else 0.
pub fn quantitative(direction: Direction, a: Decimal, b: Decimal, w: Decimal, reverse: ReverseFormula) -> Decimal {
    let zero = Decimal::ZERO;
    let score = match direction {
        Direction::Equal if a.is_zero() => {
            if b <= zero {
                w
            } else {
                zero
            }
        }
        Direction::Positive | Direction::Equal => {
            if b >= a {
                w
            } else if a <= zero {
                zero
            } else {
                w * b / a
            }
        }
        Direction::Reverse => {
            if b <= a {
                w
            } else if a <= zero {
                zero
            } else {
                match reverse {
                    ReverseFormula::Linear if b >= a + a => zero,
                    ReverseFormula::Linear => w * (Decimal::ONE - (b - a) / a),
                    ReverseFormula::Ratio => w * a / b,
                }
            }
        }
    };
    score.clamp(zero, w)
}

/// The score of a range target `[low, high]`: `w` inside it, scored as 正向 on `low`
/// below it and as 反向 on `high` above it.
pub fn range(low: Decimal, high: Decimal, b: Decimal, w: Decimal, reverse: ReverseFormula) -> Decimal {
    if b < low {
        quantitative(Direction::Positive, low, b, w, reverse)
    } else if b > high {
        quantitative(Direction::Reverse, high, b, w, reverse)
    } else {
        w
    }
}

/// The band of a qualitative grade for a row of `w` points: (lowest, highest) score.
pub fn band(band: &Band, w: Decimal) -> (Decimal, Decimal) {
    (w * band.low / Decimal::ONE_HUNDRED, w * band.high / Decimal::ONE_HUNDRED)
}

/// The band a grade written by the clerk names, among the form's.
pub fn band_of<'a>(bands: &'a [Band], grade: &str) -> Option<&'a Band> {
    bands.iter().find(|b| b.grade == grade.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A decimal written as text (no float ever).
    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    const LIN: ReverseFormula = ReverseFormula::Linear;

    #[test]
    fn positive_targets_score_in_proportion_up_to_full_marks() {
        let w = d("10");
        assert_eq!(quantitative(Direction::Positive, d("100"), d("100"), w, LIN), w, "B = A");
        assert_eq!(quantitative(Direction::Positive, d("100"), d("120"), w, LIN), w, "never above W");
        assert_eq!(quantitative(Direction::Positive, d("98"), d("95"), w, LIN), d("10") * d("95") / d("98"));
        assert_eq!(quantitative(Direction::Positive, d("10000"), d("8000"), d("8"), LIN), d("6.4"));
        assert_eq!(quantitative(Direction::Positive, d("100"), d("0"), w, LIN), d("0"));
        assert_eq!(quantitative(Direction::Positive, d("100"), d("-5"), w, LIN), d("0"), "never below 0");
        assert_eq!(quantitative(Direction::Positive, d("0"), d("0"), w, LIN), w, "≥ 0 is met by 0");
    }

    #[test]
    fn reverse_targets_lose_points_linearly_to_nothing_at_twice_the_target() {
        let w = d("10");
        assert_eq!(quantitative(Direction::Reverse, d("5"), d("5"), w, LIN), w, "B = A");
        assert_eq!(quantitative(Direction::Reverse, d("5"), d("3"), w, LIN), w, "below the ceiling");
        assert_eq!(quantitative(Direction::Reverse, d("5"), d("6"), w, LIN), d("8"), "10 × (1 − 1/5)");
        assert_eq!(quantitative(Direction::Reverse, d("25"), d("27.5"), w, LIN), d("9"));
        assert_eq!(quantitative(Direction::Reverse, d("5"), d("10"), w, LIN), d("0"), "B = 2A");
        assert_eq!(quantitative(Direction::Reverse, d("5"), d("9.99"), w, LIN), d("0.02"));
        assert_eq!(quantitative(Direction::Reverse, d("5"), d("12"), w, LIN), d("0"), "beyond 2A");
        assert_eq!(quantitative(Direction::Reverse, d("0"), d("0"), w, LIN), w, "≤ 0 met by 0");
        assert_eq!(quantitative(Direction::Reverse, d("0"), d("1"), w, LIN), d("0"), "≤ 0 missed");
    }

    #[test]
    fn the_ratio_variant_of_reverse_targets() {
        let ratio = ReverseFormula::Ratio;
        assert_eq!(quantitative(Direction::Reverse, d("5"), d("5"), d("10"), ratio), d("10"));
        assert_eq!(quantitative(Direction::Reverse, d("5"), d("10"), d("10"), ratio), d("5"), "B = 2A keeps half");
        assert_eq!(quantitative(Direction::Reverse, d("6"), d("8"), d("8"), ratio), d("6"));
    }

    #[test]
    fn equal_targets_score_as_positive_except_a_target_of_zero() {
        let w = d("10");
        assert_eq!(quantitative(Direction::Equal, d("25"), d("24.3"), w, LIN), d("9.72"));
        assert_eq!(quantitative(Direction::Equal, d("25"), d("25"), w, LIN), w);
        assert_eq!(quantitative(Direction::Equal, d("0"), d("0"), w, LIN), w, "A = 0, B = 0");
        assert_eq!(quantitative(Direction::Equal, d("0"), d("-1"), w, LIN), w, "A = 0, B < 0");
        assert_eq!(quantitative(Direction::Equal, d("0"), d("0.01"), w, LIN), d("0"), "A = 0, B > 0");
    }

    #[test]
    fn a_range_is_full_inside_and_scored_toward_its_nearer_end_outside() {
        let w = d("10");
        assert_eq!(range(d("80"), d("90"), d("85"), w, LIN), w);
        assert_eq!(range(d("80"), d("90"), d("80"), w, LIN), w, "ends included");
        assert_eq!(range(d("80"), d("90"), d("90"), w, LIN), w, "ends included");
        assert_eq!(range(d("80"), d("90"), d("40"), w, LIN), d("5"));
        assert_eq!(range(d("80"), d("90"), d("99"), w, LIN), d("9"));
    }

    #[test]
    fn a_grade_band_is_a_share_of_the_row() {
        let band = Band { grade: "部分达成年度指标并具有一定效果".into(), low: d("60"), high: d("80") };
        assert_eq!(super::band(&band, d("8")), (d("4.8"), d("6.4")));
        let fifty = Band { grade: "部分达成年度指标并具有一定效果".into(), low: d("50"), high: d("80") };
        assert_eq!(super::band(&fifty, d("8")), (d("4"), d("6.4")), "the regions that use 50 % instead of 60 %");
        let bands = [band];
        assert!(band_of(&bands, " 部分达成年度指标并具有一定效果 ").is_some());
        assert!(band_of(&bands, "达成").is_none());
    }
}
