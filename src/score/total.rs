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

#[cfg(test)]
mod properties {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use crate::score::weights::{Row, weigh};
    use crate::score::{
        Direction, ExecutionRule, LevelPoints, ReasonRule, ReverseFormula, Round, Rounding, Scoring, Strictness,
        execution, indicator,
    };

    fn scoring(places: u32, mode: Round) -> Scoring {
        let level =
            |label: &str, points: i64| LevelPoints { labels: vec![label.into()], points: Decimal::from(points) };
        Scoring {
            total: Decimal::ONE_HUNDRED,
            execution: ExecutionRule {
                points: Decimal::TEN,
                explain_below: None,
                reason_max_chars: None,
                rounding: None,
                reason: None,
            },
            levels: vec![level("产出指标", 50), level("效益指标", 30), level("满意度指标", 10)],
            absent_to: vec!["产出指标".into(), "效益指标".into()],
            row_weights_required: false,
            reverse: ReverseFormula::Linear,
            qualitative: vec![],
            rounding: Rounding { places, mode },
            grades: vec![],
            over_achievement: None,
            reasons: ReasonRule { below_full: Strictness::Error, max_chars: None },
        }
    }

    /// A row: its 一级 (0–2), direction (0–2), target and actual in hundredths, and
    /// whether it applies.
    fn rows() -> impl Strategy<Value = Vec<(usize, usize, i64, i64, bool)>> {
        proptest::collection::vec(
            (0usize..3, 0usize..3, 0i64..100_000, 0i64..200_000, proptest::bool::weighted(0.9)),
            1..14,
        )
    }

    proptest! {
        /// Whatever the rows, their points and the execution row's add up to the total,
        /// every score lies between 0 and its row's points, and the total printed is the
        /// sum of the scores printed: the column adds up on paper.
        #[test]
        fn the_printed_total_is_the_sum_of_the_printed_scores(
            rows in rows(),
            spent in 0i64..20_000,
            budget in 1i64..20_000,
            places in 0u32..3,
            mode in prop_oneof![Just(Round::HalfUp), Just(Round::Up), Just(Round::Down)],
        ) {
            let scoring = scoring(places, mode);
            let labels = ["产出指标", "效益指标", "满意度指标"];
            let weighing: Vec<Row> = rows.iter().map(|r| Row { level1: labels[r.0], written: None, applicable: r.4 }).collect();
            let Ok(weights) = weigh(&scoring, &weighing) else {
                prop_assert!(rows.iter().all(|r| !r.4), "only rows that do not apply refuse weights");
                return Ok(());
            };
            let sum: Decimal = weights.rows.iter().sum::<Decimal>() + weights.execution;
            prop_assert_eq!(sum, Decimal::ONE_HUNDRED);
            let mut printed = Vec::new();
            for (row, w) in rows.iter().zip(&weights.rows).filter(|(r, _)| r.4) {
                let direction = [Direction::Positive, Direction::Reverse, Direction::Equal][row.1];
                let (a, b) = (Decimal::new(row.2, 2), Decimal::new(row.3, 2));
                let score = scoring.rounding.apply(indicator::quantitative(direction, a, b, *w, scoring.reverse));
                prop_assert!(score >= Decimal::ZERO && score <= scoring.rounding.apply(*w) + Decimal::new(1, places));
                printed.push(scoring.rounding.print(score));
            }
            let rate = execution::rate(Decimal::from(budget), Decimal::from(spent)).unwrap();
            let execution = scoring.rounding.apply(execution::score(weights.execution, rate));
            printed.push(scoring.rounding.print(execution));
            let scores: Vec<Decimal> = printed.iter().map(|p| p.parse().unwrap()).collect();
            let total = super::total(&scores);
            let on_paper: Decimal = printed.iter().map(|p| p.parse::<Decimal>().unwrap()).sum();
            prop_assert_eq!(scoring.rounding.print(total).parse::<Decimal>().unwrap(), on_paper);
        }
    }
}
