//! Why the rows of a self-evaluation cannot be weighed, told at the row it concerns.

use rust_decimal::Decimal;

use crate::diag::rules;
use crate::model::ProjectSpec;
use crate::model::actuals::ActualsSpec;
use crate::score::weights::Problem;
use crate::spec::year::Loaded;
use crate::validate::FileCheck;

/// Reports weights that cannot be made.
pub(super) fn weight_problem(
    file: &mut FileCheck,
    target: &Loaded<ProjectSpec>,
    actuals: &ActualsSpec,
    matched: &[Option<usize>],
    problem: Problem,
) {
    let at = |i: usize| matched[i].map(|j| &actuals.indicators[j].name);
    let indicators = &target.spec.indicators;
    let (row, message) = match problem {
        Problem::Missing(i) => {
            (Some(i), format!("表样要求每个指标写分值（weight），“{}”没有写", indicators[i].name.value))
        }
        Problem::Unweighted(i) => (
            Some(i),
            format!(
                "表样没有一级指标“{}”的分值，“{}”需要写分值（weight）",
                indicators[i].level1.value, indicators[i].name.value
            ),
        ),
        Problem::Sum { sum, total } => {
            (None, format!("各指标分值加预算执行率分值共 {}，应为总分 {}", print(sum), print(total)))
        }
        Problem::Exceeds { row, written, points } => (
            Some(row),
            format!(
                "一级指标“{}”共 {} 分，已写的分值合计 {}，“{}”没有分值可分",
                indicators[row].level1.value,
                print(points),
                print(written),
                indicators[row].name.value
            ),
        ),
        Problem::NothingApplies => (None, "所有指标都不适用，无法评分".to_string()),
    };
    match row.and_then(at).or_else(|| actuals.indicators.first().map(|a| &a.name)) {
        Some(name) => {
            file.report(&rules::E0508, name, message);
        }
        None => file.diagnostics.push(crate::diag::Diagnostic::new(&rules::E0508, file.path, None, message)),
    }
}

/// A decimal as printed in messages (no trailing zeros).
pub(super) fn print(value: Decimal) -> String {
    value.normalize().to_string()
}
