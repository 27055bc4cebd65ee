//! The scoring rules a form declares (`evaluation.scoring` in `form.yaml`). Defaults
//! are those of 财预〔2020〕10号 as the budget systems apply them; each is a setting
//! because provinces differ (CYCLE.md §2).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How a form scores a project.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// The total of every row's points (100).
    #[serde(default = "hundred")]
    pub total: Decimal,
    /// The budget-execution row.
    pub execution: ExecutionRule,
    /// The points of each 一级 (产出 50, 效益 30, 满意度 10), by the labels targets use.
    pub levels: Vec<LevelPoints>,
    /// The 一级 labels that share the points of an 一级 a project has no indicator in
    /// (without 满意度, its points go to 产出 and 效益, in proportion to theirs).
    #[serde(default)]
    pub absent_to: Vec<String>,
    /// Whether the clerk writes a weight on every row (Sichuan: `权重`); otherwise an
    /// 一级's points are split evenly over its rows unless a row says its own.
    #[serde(default)]
    pub row_weights_required: bool,
    /// The formula of 反向 targets between A and 2A.
    #[serde(default)]
    pub reverse: ReverseFormula,
    /// The grades of qualitative (定性) indicators and the band of points each allows,
    /// in percent of the row's points.
    pub qualitative: Vec<Band>,
    /// How printed scores are rounded.
    pub rounding: Rounding,
    /// The grades of the total (优 ≥ 90 …), highest first.
    pub grades: Vec<Grade>,
    /// An actual above this percentage of a 正向 target is flagged: the 10号 text lets an
    /// office take points off for it, by judgment (no formula).
    #[serde(default)]
    pub over_achievement: Option<Decimal>,
    /// When a deviation reason is needed and how strictly.
    pub reasons: ReasonRule,
}

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}

/// The budget-execution row: its points and when a low rate needs a reason.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExecutionRule {
    /// Its points (10, or 20 in some places; 0: the form prints the rate without points).
    pub points: Decimal,
    /// A rate below this percentage must be explained (Sichuan: 90).
    #[serde(default)]
    pub explain_below: Option<Decimal>,
    /// Longest explanation allowed, in characters (Sichuan: 100).
    #[serde(default)]
    pub reason_max_chars: Option<usize>,
    /// A rate below `explain_below` without its explanation is this (the strictness of
    /// the indicators' reasons when not said).
    #[serde(default)]
    pub reason: Option<Strictness>,
    /// Rounding of the printed execution score, when it differs from the indicators'
    /// (one real table prints 10 × 86 % as 9).
    #[serde(default)]
    pub rounding: Option<Rounding>,
}

/// The points of one 一级.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LevelPoints {
    /// The 一级 labels these points are for (targets of different forms say 效益指标 or
    /// 效果指标 for the same level).
    pub labels: Vec<String>,
    /// Its points.
    pub points: Decimal,
}

/// The formula of a 反向 target between A and 2A.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReverseFormula {
    /// W × (1 − (B − A) / A), 0 from 2A on (the budget systems).
    #[default]
    Linear,
    /// W × A / B (a published alternative).
    Ratio,
}

/// One qualitative grade and its band of points.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The grade as a clerk writes it, e.g. 达成年度指标.
    pub grade: String,
    /// Lowest share of the row's points, in percent.
    pub low: Decimal,
    /// Highest share, in percent.
    pub high: Decimal,
}

/// How printed scores are rounded.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// Decimal places printed.
    pub places: u32,
    /// How a score between two printed values is rounded.
    #[serde(default)]
    pub mode: Round,
}

/// A rounding mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Round {
    /// Half away from zero (四舍五入).
    #[default]
    HalfUp,
    /// Always up (进一).
    Up,
    /// Always down (去尾).
    Down,
}

impl Rounding {
    /// `value` rounded as declared.
    pub fn apply(&self, value: Decimal) -> Decimal {
        use rust_decimal::RoundingStrategy as S;
        let strategy = match self.mode {
            Round::HalfUp => S::MidpointAwayFromZero,
            Round::Up => S::AwayFromZero,
            Round::Down => S::ToZero,
        };
        value.round_dp_with_strategy(self.places, strategy)
    }

    /// `value` printed with exactly the declared places (`9.20`, `9`).
    pub fn print(&self, value: Decimal) -> String {
        let mut rounded = self.apply(value);
        rounded.rescale(self.places);
        rounded.to_string()
    }
}

/// One grade of the total.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    /// Printed, e.g. 优.
    pub label: String,
    /// Lowest total with this grade.
    pub min: Decimal,
}

/// When a deviation reason is needed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonRule {
    /// A row scored below its full points without a reason is this.
    pub below_full: Strictness,
    /// Longest reason allowed, in characters.
    #[serde(default)]
    pub max_chars: Option<usize>,
}

/// Whether a rule is an error, a warning, or not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strictness {
    /// The project is not built.
    Error,
    /// Printed, built anyway.
    Warning,
    /// Not checked.
    Off,
}

/// The mid-year monitoring rules (`evaluation.monitoring` in `form.yaml`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    /// The deviation causes a row may tick (经费保障, 制度保障, …), in print order.
    pub causes: Vec<String>,
    /// The likelihoods of meeting the target (确定能, 有可能, 完全不可能), in print order.
    pub likelihoods: Vec<String>,
    /// Spending this many percentage points behind the time-proportional plan is warned
    /// about (not published: a default a form states as such).
    pub behind_plan: Decimal,
    /// A forecast short of the target without a reason is this.
    pub forecast_short: Strictness,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn printed_scores_are_rounded_as_the_form_declares() {
        let two = Rounding { places: 2, mode: Round::HalfUp };
        assert_eq!(two.print(d("8.625")), "8.63");
        assert_eq!(two.print(d("8.624")), "8.62");
        assert_eq!(two.print(d("10")), "10.00");
        assert_eq!(two.print(d("9.2")), "9.20");
        let whole = Rounding { places: 0, mode: Round::HalfUp };
        assert_eq!(whole.print(d("8.6")), "9", "one real table prints 10 × 86 % as 9");
        assert_eq!(whole.print(d("8.5")), "9");
        assert_eq!(whole.print(d("8.49")), "8");
        assert_eq!(Rounding { places: 1, mode: Round::Up }.print(d("8.61")), "8.7");
        assert_eq!(Rounding { places: 1, mode: Round::Down }.print(d("8.69")), "8.6");
        assert_eq!(Rounding { places: 1, mode: Round::Up }.print(d("8.6")), "8.6", "exact values stay");
    }
}
