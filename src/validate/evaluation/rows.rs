//! The indicator rows of a period: each actual matched to the target indicator it
//! names, and at year end weighed and scored by the form's rules.

use rust_decimal::Decimal;

use super::money::need_reason;
use super::weighing::print;
use crate::diag::rules;
use crate::model::actuals::{ActualIndicator, ActualsSpec};
use crate::model::{ProjectSpec, Text};
use crate::score::weights::{Row, weigh};
use crate::score::{Direction, Scoring, indicator};
use crate::spec::year::Loaded;
use crate::validate::{FileCheck, ProjectFacts};
use crate::value::{IndicatorValue, parse_number};

/// One indicator row as checked.
#[derive(Debug, Default, Clone)]
pub struct RowFacts {
    /// The actual answering it: an index into the actuals' `indicators`.
    pub actual: Option<usize>,
    /// Its direction (written in the actuals, or from the target's words).
    pub direction: Option<Direction>,
    /// Whether it applies this year.
    pub applies: bool,
    /// Its points (0 where it does not apply).
    pub weight: Decimal,
    /// The rule's score, rounded as printed (none for a qualitative indicator).
    pub rule: Option<Decimal>,
    /// The printed score: a hand-written one where given, else the rule's.
    pub score: Option<Decimal>,
}

/// For each indicator of the target, the actual that names it; an actual naming no
/// indicator, or one already answered, and an indicator no actual names are errors.
pub(super) fn match_rows(
    file: &mut FileCheck,
    target: &Loaded<ProjectSpec>,
    actuals: &ActualsSpec,
) -> Vec<Option<usize>> {
    let indicators = &target.spec.indicators;
    let mut matched: Vec<Option<usize>> = vec![None; indicators.len()];
    let mut meant: Vec<String> = Vec::new();
    for (j, actual) in actuals.indicators.iter().enumerate() {
        let named: Vec<usize> = (0..indicators.len())
            .filter(|&i| indicators[i].name.value == actual.name.value)
            .filter(|&i| actual.level2.as_ref().is_none_or(|l2| indicators[i].level2.value == l2.value))
            .collect();
        match named.as_slice() {
            [] => {
                let names = indicators.iter().map(|i| i.name.value.as_str());
                let d = file.report(
                    &rules::E0503,
                    &actual.name,
                    format!("目标规格 {} 中没有指标“{}”", short(&target.path), actual.name.value),
                );
                match crate::suggest::closest(&actual.name.value, names) {
                    Some(near) => {
                        d.set_hint(format!("是不是“{near}”？指标名称要与目标规格中的三级指标完全相同"));
                        meant.push(near.to_string());
                    }
                    None => {
                        d.set_hint("指标名称要与目标规格中的三级指标完全相同");
                    }
                };
            }
            // Namesakes under different 二级 need the actual to say which; namesakes in the
            // same 二级 (the same indicator listed twice) are answered in their order.
            several
                if actual.level2.is_none()
                    && several.iter().any(|&i| indicators[i].level2.value != indicators[several[0]].level2.value) =>
            {
                file.report(&rules::E0503, &actual.name, format!("目标规格中有几个指标都叫“{}”", actual.name.value))
                    .set_hint("请加一行 level2: 写明它的二级指标，以区分同名的指标");
            }
            candidates => match candidates.iter().find(|&&i| matched[i].is_none()) {
                Some(&i) => matched[i] = Some(j),
                None => {
                    file.report(&rules::E0503, &actual.name, format!("指标“{}”写了两次", actual.name.value))
                        .set_hint("每个指标只填写一次实际数据");
                }
            },
        }
    }
    // Where the list is (its key), to point at what it misses.
    let list = file.text.match_indices("indicators:").find(|(at, _)| *at == 0 || file.text[..*at].ends_with('\n'));
    let list = list.map(|(at, key)| at..at + key.len() - 1);
    for (i, answer) in matched.iter().enumerate() {
        // An indicator a misspelt name was offered as is already said.
        if answer.is_none() && !meant.contains(&indicators[i].name.value) {
            let line = indicators[i].name.referenced.line();
            file.diagnostics.push(
                crate::diag::Diagnostic::new(
                    &rules::E0504,
                    file.path,
                    list.clone(),
                    format!("目标规格 {}:{line} 的指标“{}”没有实际数据", short(&target.path), indicators[i].name.value),
                )
                .with_hint(format!("在 indicators 中加一项：- name: {}，并填写 actual", indicators[i].name.value)),
            );
        }
    }
    matched
}

/// Weighs and scores the rows of a self-evaluation.
pub(super) fn score(
    file: &mut FileCheck,
    target: &Loaded<ProjectSpec>,
    facts: &ProjectFacts,
    actuals: &ActualsSpec,
    matched: &[Option<usize>],
    scoring: &Scoring,
) -> Vec<RowFacts> {
    let indicators = &target.spec.indicators;
    let answer = |i: usize| matched[i].map(|j| &actuals.indicators[j]);
    let mut rows: Vec<RowFacts> = (0..indicators.len())
        .map(|i| RowFacts {
            actual: matched[i],
            applies: answer(i).is_none_or(ActualIndicator::applies),
            direction: direction(file, answer(i), facts.values.get(i).cloned().flatten().as_ref()),
            ..RowFacts::default()
        })
        .collect();
    let written: Vec<Option<Decimal>> = (0..indicators.len())
        .map(|i| match answer(i).and_then(|a| a.weight.as_ref()) {
            Some(text) => number(file, text, "分值"),
            None => indicators[i].text("weight").and_then(|t| parse_number(&t.value).ok()),
        })
        .collect();
    let weighing: Vec<Row> = (0..indicators.len())
        .map(|i| Row { level1: &indicators[i].level1.value, written: written[i], applicable: rows[i].applies })
        .collect();
    match weigh(scoring, &weighing) {
        Ok(weights) => rows.iter_mut().zip(weights.rows).for_each(|(row, w)| row.weight = w),
        Err(problem) => {
            super::weighing::weight_problem(file, target, actuals, matched, problem);
            return rows;
        }
    }
    for (i, row) in rows.iter_mut().enumerate() {
        if let Some(actual) = answer(i).filter(|_| row.applies) {
            score_row(file, row, actual, &indicators[i].value, facts.values.get(i).cloned().flatten(), scoring);
        }
    }
    rows
}

/// The direction of a row: as its actuals write it, else from the target's words.
fn direction(
    file: &mut FileCheck,
    actual: Option<&ActualIndicator>,
    value: Option<&IndicatorValue>,
) -> Option<Direction> {
    if let Some(text) = actual.and_then(|a| a.direction.as_ref()) {
        let named = Direction::named(&text.value);
        if named.is_none() {
            file.report(&rules::E0511, text, format!("方向“{}”不是正向、反向或等于", text.value))
                .set_hint("正向：越多越好（≥）；反向：越少越好（≤）；等于：恰好达到");
        }
        return named;
    }
    let found = value.and_then(Direction::of);
    if let (Some(Direction::Equal), Some(IndicatorValue::Quantity { unit: Some(unit), .. }), Some(actual)) =
        (found, value, actual)
        && crate::value::is_money_unit(unit)
    {
        file.report(&rules::W0506, &actual.name, format!("“{}”的指标值没有写明方向，按“等于”计分", actual.name.value))
            .set_hint("成本指标多是“不超过”：请写 direction: 反向（或 正向、等于）");
    }
    found
}

/// Scores one applicable row with an actual.
fn score_row(
    file: &mut FileCheck,
    row: &mut RowFacts,
    actual: &ActualIndicator,
    target_text: &Text,
    target: Option<IndicatorValue>,
    scoring: &Scoring,
) {
    let Some(written) = actual.actual.as_ref().filter(|t| !t.value.is_empty()) else {
        file.report(&rules::E0506, &actual.name, format!("“{}”没有填写实际完成值（actual）", actual.name.value));
        return;
    };
    let hand = actual.score.as_ref().and_then(|t| number(file, t, "得分"));
    let w = row.weight;
    match &target {
        Some(IndicatorValue::Qualitative(_)) | None => {
            let Some(band) = indicator::band_of(&scoring.qualitative, &written.value) else {
                let grades: Vec<&str> = scoring.qualitative.iter().map(|b| b.grade.as_str()).collect();
                file.report(&rules::E0507, written, format!("定性指标的完成情况“{}”不是表样中的等级", written.value))
                    .set_hint(format!("应是：{}", grades.join("、")));
                return;
            };
            let (low, high) = indicator::band(band, w);
            match hand {
                None => {
                    file.report(&rules::E0507, written, "定性指标需要按等级写得分（score）").set_hint(format!(
                        "“{}”的得分在 {} 到 {} 之间",
                        band.grade,
                        print(low),
                        print(high)
                    ));
                }
                Some(score) if score < low || score > high => {
                    file.report(
                        &rules::E0507,
                        actual.score.as_ref().unwrap_or(written),
                        format!("得分 {score} 不在“{}”的区间 {}–{} 内", band.grade, print(low), print(high)),
                    );
                }
                Some(score) => row.score = Some(score),
            }
        }
        Some(value) => {
            let Some(b) = actual_number(file, written, value) else { return };
            let rule = match (value, row.direction) {
                (IndicatorValue::Range { low, high, .. }, _) => indicator::range(*low, *high, b, w, scoring.reverse),
                (_, Some(direction)) => indicator::quantitative(direction, target_number(value), b, w, scoring.reverse),
                _ => return,
            };
            let rule = scoring.rounding.apply(rule);
            row.rule = Some(rule);
            row.score = Some(rule);
            over_achievement(file, actual, row, value, b, scoring);
            if let Some(hand) = hand.filter(|h| *h != rule) {
                hand_score(file, actual, target_text, row, hand, rule);
            }
        }
    }
    if let Some(score) = row.score
        && score < w
        && actual.reason.as_ref().is_none_or(|r| r.value.is_empty())
    {
        let message =
            format!("“{}”得分 {} 低于分值 {}，需要写偏差原因（reason）", actual.name.value, print(score), print(w));
        need_reason(file, scoring.reasons.below_full, Some(&actual.name), &message);
    }
    if let (Some(reason), Some(max)) = (actual.reason.as_ref(), scoring.reasons.max_chars)
        && reason.value.chars().count() > max
    {
        file.report(&rules::E0510, reason, format!("偏差原因超过表样规定的 {max} 个字"));
    }
}

/// A hand-written score that differs from the rule's: kept, with a stated reason.
fn hand_score(
    file: &mut FileCheck,
    actual: &ActualIndicator,
    target: &Text,
    row: &mut RowFacts,
    hand: Decimal,
    rule: Decimal,
) {
    if hand < Decimal::ZERO || hand > row.weight {
        file.report(
            &rules::E0507,
            actual.score.as_ref().unwrap_or(&actual.name),
            format!("得分 {hand} 不在 0 到分值 {} 之间", print(row.weight)),
        );
        return;
    }
    let both = format!(
        "“{}”手写得分 {}，按规则应为 {}（指标值 {}）",
        actual.name.value,
        print(hand),
        print(rule),
        target.value
    );
    match actual.score_reason.as_ref().filter(|r| !r.value.is_empty()) {
        Some(_) => {
            file.report(&rules::W0501, actual.score.as_ref().unwrap_or(&actual.name), both);
            row.score = Some(hand);
        }
        None => {
            file.report(&rules::E0509, actual.score.as_ref().unwrap_or(&actual.name), both)
                .set_hint("按判断调整得分时，请在 score_reason 中写明理由；否则删去 score，按规则计分");
        }
    }
}

/// Flags an actual far above a 正向 target (the clerk judges the deduction).
fn over_achievement(
    file: &mut FileCheck,
    actual: &ActualIndicator,
    row: &RowFacts,
    value: &IndicatorValue,
    b: Decimal,
    scoring: &Scoring,
) {
    let (Some(limit), Some(Direction::Positive | Direction::Equal)) = (scoring.over_achievement, row.direction) else {
        return;
    };
    let a = target_number(value);
    if a > Decimal::ZERO && b * Decimal::ONE_HUNDRED > a * limit && actual.score.is_none() {
        file.report(
            &rules::W0502,
            &actual.name,
            format!("“{}”实际 {b}，超过指标值 {a} 的 {limit}%", actual.name.value),
        )
        .set_hint("目标可能定得过低；如按偏离程度扣分，请写 score 和 score_reason");
    }
}

/// The number a target compares with (a change's amount).
fn target_number(value: &IndicatorValue) -> Decimal {
    match value {
        IndicatorValue::Quantity { number, .. } => *number,
        IndicatorValue::Range { low, .. } => *low,
        IndicatorValue::Change { by, .. } => target_number(by),
        IndicatorValue::Qualitative(_) => Decimal::ZERO,
    }
}

/// The number of an actual value, compared with the target's unit.
fn actual_number(file: &mut FileCheck, written: &Text, target: &IndicatorValue) -> Option<Decimal> {
    let parsed = IndicatorValue::parse(&written.value);
    let (number, unit) = match &parsed {
        Ok(IndicatorValue::Quantity { number, unit, .. }) => (*number, unit.clone()),
        Ok(IndicatorValue::Change { by, .. }) => (target_number(by), by.unit().map(str::to_string)),
        _ => {
            file.report(&rules::E0506, written, format!("定量指标的实际完成值“{}”不是数字", written.value))
                .set_hint("写实际达到的数和单位，如 12650 件、97.5%");
            return None;
        }
    };
    if let (Some(unit), Some(expected)) = (&unit, target.unit())
        && unit != expected
    {
        file.report(&rules::W0503, written, format!("实际完成值的单位“{unit}”与指标值的“{expected}”不同"));
    }
    Some(number)
}

/// A number written in an actuals file, or an error at it.
fn number(file: &mut FileCheck, text: &Text, what: &str) -> Option<Decimal> {
    match parse_number(&text.value) {
        Ok(n) => Some(n),
        Err(e) => {
            file.report(&rules::E0505, text, format!("{what}“{}”无法解析：{}", text.value, e.0));
            None
        }
    }
}

/// A path shown short: its last two parts (`projects/131003001.yaml`).
fn short(path: &std::path::Path) -> String {
    let parts: Vec<_> = path.iter().collect();
    parts[parts.len().saturating_sub(2)..].iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>().join("/")
}
