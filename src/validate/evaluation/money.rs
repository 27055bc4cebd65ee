//! The money block of a period: each fund source's figures parsed, the total row added,
//! the execution rate and, at year end, its score.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::PeriodContext;
use crate::diag::rules;
use crate::form::EvaluationDef;
use crate::model::Text;
use crate::model::actuals::{ActualsSpec, MONEY_COLUMNS, MoneyRow};
use crate::score::{Scoring, Strictness, execution};
use crate::validate::FileCheck;
use crate::value::parse_number;

/// The money block as checked.
#[derive(Debug, Default, Clone)]
pub struct MoneyFacts {
    /// Each of the form's fund-source rows, in its order (blank where not written).
    pub rows: Vec<MoneyLine>,
    /// The total row: each column added over the rows that write it.
    pub total: MoneyLine,
    /// 执行率 in percent: spent over the adjusted budget (the initial one when no
    /// adjustment is written).
    pub rate: Option<Decimal>,
    /// The execution row's points (a self-evaluation).
    pub points: Decimal,
    /// Its printed score.
    pub score: Option<Decimal>,
    /// Monitoring: the share of the budget the spending plan expects spent by month X.
    pub plan: Option<Decimal>,
}

/// One row of the money block.
#[derive(Debug, Default, Clone)]
pub struct MoneyLine {
    /// Its figures by column key (`budget`, `adjusted`, `spent`, `forecast`).
    pub columns: BTreeMap<&'static str, Decimal>,
    /// Its execution rate, in percent.
    pub rate: Option<Decimal>,
}

impl MoneyLine {
    /// The budget the rate is taken against: the adjusted one, else the initial one.
    fn base(&self) -> Option<Decimal> {
        self.columns.get("adjusted").or_else(|| self.columns.get("budget")).copied()
    }

    fn with_rate(mut self) -> MoneyLine {
        self.rate = match (self.base(), self.columns.get("spent")) {
            (Some(base), Some(spent)) => execution::rate(base, *spent),
            _ => None,
        };
        self
    }
}

/// Parses the money block against the form's rows and columns.
pub(super) fn check(
    file: &mut FileCheck,
    spec: &ActualsSpec,
    def: &EvaluationDef,
    _context: &PeriodContext,
) -> MoneyFacts {
    let mut facts = MoneyFacts::default();
    let Some(money) = &spec.money else {
        file.diagnostics.push(
            crate::diag::Diagnostic::new(&rules::E0513, file.path, None, "没有填写资金情况（money）")
                .with_hint("例如 money: { fiscal: { budget: 25, adjusted: 25, spent: 24.3 } }，金额的单位与 department.yaml 的 money_unit 相同"),
        );
        return facts;
    };
    for (key, row) in money.written() {
        if !def.money_rows.iter().any(|r| r.key == key) {
            let labels: Vec<String> = def.money_rows.iter().map(|r| format!("{}（{}）", r.key, r.label)).collect();
            if let Some(at) = first_text(row) {
                file.report(&rules::E0513, at, format!("本表样没有资金行 {key}"))
                    .set_hint(format!("本表样的资金行：{}", labels.join("、")));
            }
        }
    }
    let mut total = MoneyLine::default();
    for row_def in &def.money_rows {
        let mut line = MoneyLine::default();
        if let Some(row) = money.row(&row_def.key) {
            for column in MONEY_COLUMNS {
                let Some(text) = row.column(column).filter(|t| !t.value.is_empty()) else { continue };
                if !def.money_columns.iter().any(|c| c == column) {
                    file.report(&rules::E0513, text, format!("本表样没有资金栏 {column}"))
                        .set_hint(format!("本表样的资金栏：{}", def.money_columns.join("、")));
                    continue;
                }
                match parse_number(&text.value) {
                    Ok(number) if number.is_sign_negative() => {
                        file.report(&rules::E0505, text, format!("金额 {} 是负数", text.value));
                    }
                    Ok(number) => {
                        line.columns.insert(column, number);
                    }
                    Err(e) => {
                        file.report(&rules::E0505, text, format!("金额“{}”无法解析：{}", text.value, e.0))
                            .set_hint("只写数字，如 24.3；单位是 department.yaml 的 money_unit");
                    }
                }
            }
            let unspent = row.spent.as_ref().is_none_or(|t| t.value.is_empty());
            if unspent && def.money_columns.iter().any(|c| c == "spent") {
                let message = format!("资金行 {}（{}）没有写执行数（spent）", row_def.key, row_def.label);
                match first_text(row) {
                    Some(at) => {
                        file.report(&rules::E0513, at, message);
                    }
                    None => {
                        file.diagnostics.push(crate::diag::Diagnostic::new(&rules::E0513, file.path, None, message))
                    }
                }
            }
        }
        for (column, value) in &line.columns {
            *total.columns.entry(column).or_default() += *value;
        }
        facts.rows.push(line.with_rate());
    }
    facts.total = total.with_rate();
    facts.rate = facts.total.rate;
    facts
}

/// The execution row's score, and the reason a low rate needs.
pub(super) fn score(file: &mut FileCheck, spec: &ActualsSpec, facts: &mut MoneyFacts, scoring: &Scoring) {
    let rule = &scoring.execution;
    facts.points = rule.points;
    let rounding = rule.rounding.unwrap_or(scoring.rounding);
    facts.score = facts.rate.map(|rate| rounding.apply(execution::score(rule.points, rate)));
    let reason = spec.money_reason.as_ref().filter(|t| !t.value.is_empty());
    if let (Some(reason), Some(max)) = (reason, rule.reason_max_chars) {
        let count = reason.value.chars().count();
        if count > max {
            file.report(&rules::E0510, reason, format!("执行率偏低的原因有 {count} 个字，表样规定不超过 {max} 个字"));
        }
    }
    let (Some(rate), Some(below)) = (facts.rate, rule.explain_below) else { return };
    if rate < below && reason.is_none() {
        let message =
            format!("预算执行率 {}% 低于 {below}%，需要写明原因（money_reason）", rate.round_dp(2).normalize());
        need_reason(
            file,
            rule.reason.unwrap_or(scoring.reasons.below_full),
            spec.money.as_ref().and_then(|m| m.written().first().and_then(|(_, r)| first_text(r))),
            &message,
        );
    }
}

/// Reports a missing reason as the form's strictness says.
pub(super) fn need_reason(file: &mut FileCheck, strictness: Strictness, at: Option<&Text>, message: &str) {
    let rule = match strictness {
        Strictness::Error => &rules::E0510,
        Strictness::Warning => &rules::W0505,
        Strictness::Off => return,
    };
    match at {
        Some(at) => {
            file.report(rule, at, message);
        }
        None => file.diagnostics.push(crate::diag::Diagnostic::new(rule, file.path, None, message)),
    }
}

/// The first figure written on a row, to point at.
fn first_text(row: &MoneyRow) -> Option<&Text> {
    MONEY_COLUMNS.iter().find_map(|c| row.column(c))
}
