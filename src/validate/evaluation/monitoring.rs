//! Mid-year monitoring: the ticks and likelihood of each row are the form's, a forecast
//! short of the target needs a reason, and spending is compared with the target's
//! spending plan interpolated to the month (序时进度).

use rust_decimal::Decimal;

use super::money::{MoneyFacts, need_reason};
use super::rows::RowFacts;
use crate::diag::rules;
use crate::model::ProjectSpec;
use crate::model::actuals::ActualsSpec;
use crate::score::{Direction, Monitoring};
use crate::spec::year::Loaded;
use crate::validate::{FileCheck, ProjectFacts};
use crate::value::IndicatorValue;

/// Checks the monitoring rows: causes and likelihood among the form's, a reason where
/// the forecast falls short of the target.
pub(super) fn check_rows(
    file: &mut FileCheck,
    target: &Loaded<ProjectSpec>,
    facts: &ProjectFacts,
    actuals: &ActualsSpec,
    matched: &[Option<usize>],
    rules_of: &Monitoring,
) -> Vec<RowFacts> {
    let indicators = &target.spec.indicators;
    let mut rows = Vec::new();
    for (i, answer) in matched.iter().enumerate() {
        let value = facts.values.get(i).cloned().flatten();
        let mut row = RowFacts { actual: *answer, applies: true, ..RowFacts::default() };
        row.direction = value.as_ref().and_then(Direction::of);
        if let Some(actual) = answer.map(|j| &actuals.indicators[j]) {
            for cause in &actual.causes {
                if !rules_of.causes.contains(&cause.value) {
                    file.report(&rules::E0511, cause, format!("偏差原因“{}”不是表样中的一栏", cause.value))
                        .set_hint(format!("可勾选：{}", rules_of.causes.join("、")));
                }
            }
            if let Some(likelihood) = &actual.likelihood
                && !rules_of.likelihoods.contains(&likelihood.value)
            {
                file.report(&rules::E0511, likelihood, format!("完成目标可能性“{}”不是表样中的一项", likelihood.value))
                    .set_hint(format!("应是：{}", rules_of.likelihoods.join("、")));
            }
            let short = match (&value, actual.forecast.as_ref().map(|f| IndicatorValue::parse(&f.value))) {
                (Some(target), Some(Ok(forecast))) => falls_short(target, &forecast, row.direction),
                _ => false,
            };
            let explained = !actual.causes.is_empty() || actual.reason.as_ref().is_some_and(|r| !r.value.is_empty());
            if short && !explained {
                let forecast = actual.forecast.as_ref().map(|f| f.value.as_str()).unwrap_or_default();
                let message = format!(
                    "“{}”全年预计 {forecast}，达不到指标值 {}，需要勾选偏差原因（causes）或写明原因（reason）",
                    actual.name.value, indicators[i].value.value
                );
                need_reason(file, rules_of.forecast_short, actual.forecast.as_ref(), &message);
            }
        }
        rows.push(row);
    }
    rows
}

/// Whether a forecast misses a quantitative target in its direction.
fn falls_short(target: &IndicatorValue, forecast: &IndicatorValue, direction: Option<Direction>) -> bool {
    let (IndicatorValue::Quantity { number: a, .. }, IndicatorValue::Quantity { number: b, .. }) = (target, forecast)
    else {
        return false;
    };
    match direction {
        Some(Direction::Positive | Direction::Equal) => b < a,
        Some(Direction::Reverse) => b > a,
        None => false,
    }
}

/// Compares spending by month X with the target's spending plan at X.
pub(super) fn check_progress(
    file: &mut FileCheck,
    target: &Loaded<ProjectSpec>,
    actuals: &Loaded<ActualsSpec>,
    money: &mut MoneyFacts,
    month: Option<u32>,
    rules_of: &Monitoring,
) {
    let (Some(month), Some(plan)) = (month, target.spec.spending_plan.as_ref()) else { return };
    let points: Vec<(u32, Decimal)> = plan
        .value
        .entries
        .iter()
        .filter_map(|(k, v)| {
            Some((crate::model::SpendingPlan::month(&k.value)?, crate::value::parse_number(&v.value).ok()?))
        })
        .collect();
    let Some(expected) = interpolate(&points, month) else { return };
    money.plan = Some(expected);
    let Some(rate) = money.rate else { return };
    if expected - rate > rules_of.behind_plan {
        let at = actuals.spec.money.as_ref().and_then(|m| m.written().first().and_then(|(_, r)| r.spent.clone()));
        let message = format!(
            "{month} 月底计划支出 {}%，实际 {}%（落后超过 {} 个百分点）",
            expected.round_dp(2).normalize(),
            rate.round_dp(2).normalize(),
            rules_of.behind_plan
        );
        match at {
            Some(at) => {
                file.report(&rules::W0504, &at, message)
                    .set_hint(format!("计划见目标规格 {} 的资金支出计划（spending_plan）", target.path.display()));
            }
            None => file.diagnostics.push(crate::diag::Diagnostic::new(&rules::W0504, file.path, None, message)),
        }
    }
}

/// The cumulative plan (month, percent) at `month`, linear between checkpoints and
/// from 0 % at the start of the year.
pub fn interpolate(points: &[(u32, Decimal)], month: u32) -> Option<Decimal> {
    let mut sorted = points.to_vec();
    sorted.sort_by_key(|(m, _)| *m);
    let mut previous = (0u32, Decimal::ZERO);
    for (m, percent) in sorted {
        if month <= m {
            let span = Decimal::from(m - previous.0);
            if span.is_zero() {
                return Some(percent);
            }
            return Some(previous.1 + (percent - previous.1) * Decimal::from(month - previous.0) / span);
        }
        previous = (m, percent);
    }
    (previous.0 > 0).then_some(previous.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn the_plan_is_interpolated_between_checkpoints() {
        let plan = [(3, d("10")), (6, d("50")), (10, d("75")), (12, d("100"))];
        assert_eq!(interpolate(&plan, 6), Some(d("50")), "on a checkpoint");
        assert_eq!(interpolate(&plan, 7), Some(d("56.25")), "50 + 25 × 1/4");
        assert_eq!(interpolate(&plan, 1), Some(d("10") / d("3")), "from 0 % at the start");
        assert_eq!(interpolate(&plan, 12), Some(d("100")));
        assert_eq!(interpolate(&[], 7), None);
    }

    #[test]
    fn a_forecast_short_of_the_target_by_its_direction() {
        let v = |t: &str| IndicatorValue::parse(t).unwrap();
        assert!(falls_short(&v("98%以上"), &v("95%"), Some(Direction::Positive)));
        assert!(!falls_short(&v("98%以上"), &v("98%"), Some(Direction::Positive)));
        assert!(falls_short(&v("3 天以内"), &v("4 天"), Some(Direction::Reverse)));
        assert!(!falls_short(&v("完成"), &v("完成"), None));
    }
}
