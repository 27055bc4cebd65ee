//! The points of every row: a weight written on the row, or its 一级's points split
//! evenly over the rows that write none (an 一级 a project has no indicator in gives its
//! points to the form's `absent_to` levels, in proportion to theirs, or to the levels the
//! project has when it has none of those); rows that do not
//! apply are left out and their points shared by the others in proportion. Every split
//! is rounded to the printed places with the remainder on the last row, so the points
//! always add up exactly.

use rust_decimal::{Decimal, RoundingStrategy};

use super::Scoring;

/// One indicator row as weighting sees it.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// Its 一级 label.
    pub level1: &'a str,
    /// The weight written for it, if any.
    pub written: Option<Decimal>,
    /// Whether it applies (an indicator marked not applicable is left out).
    pub applicable: bool,
}

/// The points of each row (0 for one that does not apply) and of the execution row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weights {
    /// Per row, in the order given.
    pub rows: Vec<Decimal>,
    /// The execution row.
    pub execution: Decimal,
}

/// Why the rows cannot be weighted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The form wants a weight on every row and this one has none.
    Missing(usize),
    /// The row's 一级 has no points in the form and the row writes none.
    Unweighted(usize),
    /// The weights (with the execution row's) add up to `sum`, not the form's `total`.
    Sum {
        /// What they add up to.
        sum: Decimal,
        /// What the form says.
        total: Decimal,
    },
    /// The weights written in an 一级 exceed its points, leaving none for a row that
    /// writes none.
    Exceeds {
        /// A row left without points.
        row: usize,
        /// The weights written in its 一级.
        written: Decimal,
        /// The 一级's points.
        points: Decimal,
    },
    /// No row applies.
    NothingApplies,
}

/// Weighs the rows by the form's rules.
pub fn weigh(scoring: &Scoring, rows: &[Row]) -> Result<Weights, Problem> {
    let places = scoring.rounding.places;
    let level_of = |label: &str| scoring.levels.iter().position(|l| l.labels.iter().any(|x| x == label));
    let mut weights: Vec<Option<Decimal>> = rows.iter().map(|r| r.written).collect();
    if scoring.row_weights_required {
        if let Some(missing) = weights.iter().position(Option::is_none) {
            return Err(Problem::Missing(missing));
        }
    } else {
        let points = level_points(scoring, rows, &level_of);
        for (level, points) in points.iter().enumerate() {
            let members: Vec<usize> = (0..rows.len()).filter(|&i| level_of(rows[i].level1) == Some(level)).collect();
            let written: Decimal = members.iter().filter_map(|&i| rows[i].written).sum();
            let open: Vec<usize> = members.iter().copied().filter(|&i| rows[i].written.is_none()).collect();
            if !open.is_empty() && written > *points {
                return Err(Problem::Exceeds { row: open[0], written, points: *points });
            }
            for (&i, share) in open.iter().zip(split(*points - written, open.len(), places)) {
                weights[i] = Some(share);
            }
        }
        if let Some(unweighted) = weights.iter().position(Option::is_none) {
            return Err(Problem::Unweighted(unweighted));
        }
    }
    let weights: Vec<Decimal> = weights.into_iter().map(Option::unwrap_or_default).collect();
    let execution = scoring.execution.points;
    let sum = weights.iter().sum::<Decimal>() + execution;
    if sum != scoring.total {
        return Err(Problem::Sum { sum, total: scoring.total });
    }
    let applicable: Vec<Decimal> =
        weights.iter().zip(rows).map(|(w, r)| if r.applicable { *w } else { Decimal::ZERO }).collect();
    if rows.iter().all(|r| !r.applicable) && !rows.is_empty() {
        return Err(Problem::NothingApplies);
    }
    let rows = scale(&applicable, scoring.total - execution, places);
    Ok(Weights { rows, execution })
}

/// The points of each of the form's 一级 for these rows: its own, plus its share of
/// those of any 一级 without a row that the form gives to `absent_to`.
fn level_points(scoring: &Scoring, rows: &[Row], level_of: &dyn Fn(&str) -> Option<usize>) -> Vec<Decimal> {
    let present: Vec<bool> =
        (0..scoring.levels.len()).map(|l| rows.iter().any(|r| level_of(r.level1) == Some(l))).collect();
    let mut points: Vec<Decimal> = scoring.levels.iter().map(|l| l.points).collect();
    let mut heirs: Vec<usize> = (0..points.len())
        .filter(|&l| present[l] && scoring.levels[l].labels.iter().any(|x| scoring.absent_to.contains(x)))
        .collect();
    // None of the levels named is there either: the levels that are share them.
    if heirs.is_empty() {
        heirs = (0..points.len()).filter(|&l| present[l]).collect();
    }
    let absent: Decimal = (0..points.len()).filter(|&l| !present[l]).map(|l| points[l]).sum();
    if absent.is_zero() || heirs.is_empty() {
        return points;
    }
    let heir_points: Vec<Decimal> = heirs.iter().map(|&l| points[l]).collect();
    let grown = scale(&heir_points, heir_points.iter().sum::<Decimal>() + absent, scoring.rounding.places);
    for (&l, new) in heirs.iter().zip(grown) {
        points[l] = new;
    }
    points
}

/// `amount` split into `n` equal shares rounded down to `places`, the remainder on the
/// last.
pub fn split(amount: Decimal, n: usize, places: u32) -> Vec<Decimal> {
    if n == 0 {
        return Vec::new();
    }
    let share = (amount / Decimal::from(n)).round_dp_with_strategy(places, RoundingStrategy::ToZero);
    let mut shares = vec![share; n];
    shares[n - 1] = amount - share * Decimal::from(n - 1);
    shares
}

/// `values` scaled in proportion to add up to `target` exactly, each to `places` and
/// within one unit of its exact share (zeros stay zero): every share is rounded down, and
/// the units that leaves go one each to the shares that lost most, the earlier first on a
/// tie (the largest-remainder method). Rounding each share to nearest and putting the
/// difference on the last one could make that one negative: a year with many rows that
/// all round up.
pub fn scale(values: &[Decimal], target: Decimal, places: u32) -> Vec<Decimal> {
    let sum: Decimal = values.iter().sum();
    if sum.is_zero() || sum == target {
        return values.to_vec();
    }
    let exact: Vec<Decimal> = values.iter().map(|v| v * target / sum).collect();
    let mut scaled: Vec<Decimal> =
        exact.iter().map(|e| e.round_dp_with_strategy(places, RoundingStrategy::ToZero)).collect();
    let mut by_loss: Vec<usize> = (0..values.len()).filter(|&i| !values[i].is_zero()).collect();
    by_loss.sort_by(|&a, &b| (exact[b] - scaled[b]).cmp(&(exact[a] - scaled[a])));
    let unit = Decimal::new(1, places);
    let mut left = target - scaled.iter().sum::<Decimal>();
    for &i in &by_loss {
        if left < unit {
            break;
        }
        scaled[i] += unit;
        left -= unit;
    }
    // What division's last digit leaves (or negative values would): on the last share.
    if let Some(&last) = by_loss.iter().max() {
        scaled[last] += left;
    }
    scaled
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{ExecutionRule, LevelPoints, ReasonRule, Rounding, Strictness};

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn scoring() -> Scoring {
        let level = |labels: &[&str], points: &str| LevelPoints {
            labels: labels.iter().map(|s| s.to_string()).collect(),
            points: d(points),
        };
        Scoring {
            total: d("100"),
            execution: ExecutionRule {
                points: d("10"),
                explain_below: None,
                reason_max_chars: None,
                rounding: None,
                reason: None,
            },
            levels: vec![
                level(&["产出指标"], "50"),
                level(&["效益指标", "效果指标"], "30"),
                level(&["满意度指标"], "10"),
            ],
            absent_to: vec!["产出指标".into(), "效益指标".into()],
            row_weights_required: false,
            reverse: Default::default(),
            qualitative: vec![],
            rounding: Rounding { places: 2, mode: Default::default() },
            grades: vec![],
            over_achievement: None,
            reasons: ReasonRule { below_full: Strictness::Error, max_chars: None },
        }
    }

    fn row<'a>(level1: &'a str, written: Option<&str>) -> Row<'a> {
        Row { level1, written: written.map(d), applicable: true }
    }

    #[test]
    fn an_unwritten_level_is_split_evenly_with_the_remainder_last() {
        let rows = [
            row("产出指标", None),
            row("产出指标", None),
            row("产出指标", None),
            row("效果指标", None),
            row("满意度指标", None),
        ];
        let weights = weigh(&scoring(), &rows).unwrap();
        assert_eq!(weights.rows, [d("16.66"), d("16.66"), d("16.68"), d("30"), d("10")]);
        assert_eq!(weights.rows.iter().sum::<Decimal>() + weights.execution, d("100"));
    }

    #[test]
    fn written_weights_are_kept_and_the_rest_shared() {
        let rows = [row("产出指标", Some("8")), row("产出指标", None), row("效益指标", None), row("满意度指标", None)];
        assert_eq!(weigh(&scoring(), &rows).unwrap().rows, [d("8"), d("42"), d("30"), d("10")]);
    }

    #[test]
    fn without_satisfaction_its_points_go_to_output_and_benefit() {
        let rows = [row("产出指标", None), row("效益指标", None)];
        assert_eq!(weigh(&scoring(), &rows).unwrap().rows, [d("56.25"), d("33.75")]);
    }

    #[test]
    fn with_only_satisfaction_it_takes_every_point() {
        assert_eq!(
            weigh(&scoring(), &[row("满意度指标", None), row("满意度指标", None)]).unwrap().rows,
            [d("45"), d("45")]
        );
    }

    #[test]
    fn a_weight_sum_other_than_the_total_is_a_problem() {
        let rows = [row("产出指标", Some("45")), row("效益指标", Some("30")), row("满意度指标", Some("10"))];
        assert_eq!(weigh(&scoring(), &rows), Err(Problem::Sum { sum: d("95"), total: d("100") }));
    }

    #[test]
    fn written_weights_beyond_the_level_leave_nothing_for_the_rest() {
        let rows = [row("产出指标", Some("55")), row("产出指标", None), row("效益指标", None), row("满意度指标", None)];
        assert_eq!(weigh(&scoring(), &rows), Err(Problem::Exceeds { row: 1, written: d("55"), points: d("50") }));
    }

    #[test]
    fn required_row_weights_and_unknown_levels() {
        let required = Scoring { row_weights_required: true, ..scoring() };
        assert_eq!(weigh(&required, &[row("产出指标", Some("90")), row("产出指标", None)]), Err(Problem::Missing(1)));
        assert_eq!(weigh(&scoring(), &[row("其他指标", None)]), Err(Problem::Unweighted(0)));
    }

    #[test]
    fn rows_that_do_not_apply_give_their_points_to_the_others() {
        let mut rows =
            [row("产出指标", Some("30")), row("产出指标", Some("20")), row("效益指标", None), row("满意度指标", None)];
        rows[1].applicable = false;
        let weights = weigh(&scoring(), &rows).unwrap();
        assert_eq!(weights.rows, [d("38.57"), d("0"), d("38.57"), d("12.86")]);
        assert_eq!(weights.rows.iter().sum::<Decimal>(), d("90"));
        rows.iter_mut().for_each(|r| r.applicable = false);
        assert_eq!(weigh(&scoring(), &rows), Err(Problem::NothingApplies));
    }

    #[test]
    fn splits_and_scales_add_up_exactly() {
        assert_eq!(split(d("50"), 3, 2), [d("16.66"), d("16.66"), d("16.68")]);
        assert_eq!(split(d("50"), 0, 2), Vec::<Decimal>::new());
        assert_eq!(scale(&[d("1"), d("0"), d("2")], d("10"), 2), [d("3.33"), d("0"), d("6.67")]);
    }

    #[test]
    fn no_share_goes_below_zero_when_many_round_up() {
        // Found by the scoring property test: 84 points of applicable rows grown to 90 in
        // whole points; rounding each to nearest put 91 on the others and -1 on the last.
        let values: Vec<Decimal> = [1, 7, 7, 7, 9, 1, 1, 50, 1, 0, 0].into_iter().map(Decimal::from).collect();
        let scaled = scale(&values, d("90"), 0);
        assert_eq!(scaled.iter().sum::<Decimal>(), d("90"));
        assert_eq!(
            scaled,
            [1, 8, 7, 7, 10, 1, 1, 54, 1, 0, 0].map(Decimal::from),
            "the three that lost most get a point"
        );
        for (v, s) in values.iter().zip(&scaled) {
            let exact = v * d("90") / d("84");
            assert!(*s >= Decimal::ZERO && (s - exact).abs() < Decimal::ONE, "{v} → {s} (exact {exact})");
        }
    }
}
