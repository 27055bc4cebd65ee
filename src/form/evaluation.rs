//! What a self-evaluation or monitoring form declares beyond its labels: the money rows
//! and columns it prints, and its scoring or monitoring rules (see [`crate::score`]).
//! Its indicators are the target spec's, printed beside the actual figures.

use serde::{Deserialize, Serialize};

use super::FormDef;
use crate::model::actuals::{MONEY_COLUMNS, MONEY_ROWS};
use crate::score::{Monitoring, Scoring};

/// What a form prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    /// The 绩效目标表 (the default).
    #[default]
    Targets,
    /// The year-end 项目支出绩效自评表, scored.
    SelfEvaluation,
    /// The mid-year 绩效运行监控表.
    Monitoring,
}

impl FormKind {
    /// The form's kind in Chinese, for messages and `jixiao forms`.
    pub fn label(self) -> &'static str {
        match self {
            FormKind::Targets => "绩效目标表",
            FormKind::SelfEvaluation => "绩效自评表",
            FormKind::Monitoring => "绩效运行监控表",
        }
    }
}

/// The `evaluation` section of a self-evaluation or monitoring form.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationDef {
    /// The fund-source rows under the total row, in print order.
    pub money_rows: Vec<MoneyRowDef>,
    /// The money columns a clerk writes on each row (`budget` 年初预算数, `adjusted`
    /// 全年预算数, `spent` 执行数, `forecast` 全年预计执行数), in print order.
    pub money_columns: Vec<String>,
    /// The scoring rules (a self-evaluation form).
    #[serde(default)]
    pub scoring: Option<Scoring>,
    /// The monitoring rules (a monitoring form).
    #[serde(default)]
    pub monitoring: Option<Monitoring>,
    /// The form's own fields of an actuals file (beyond the catalog's), for its
    /// templates: `p.extra.<key>` for a project's, `r.extra.<key>` for an indicator's.
    #[serde(default)]
    pub fields: Vec<ActualFieldDecl>,
}

/// A field a form adds to its actuals files.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActualFieldDecl {
    /// Its key (lower-case English, as the catalog's).
    pub key: String,
    /// What it is, in Chinese (schemas, `textconv`, the diff, the editor).
    pub label: String,
    /// Whether it is written per indicator (`indicator`) or once per project (`project`).
    pub on: FieldPlace,
}

/// Where a form's own actuals field is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldPlace {
    /// Once per project.
    Project,
    /// Per indicator.
    Indicator,
}

impl EvaluationDef {
    /// The label of the form's own field `key`, if it declares one.
    pub fn own_label(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.key == key).map(|f| f.label.as_str())
    }

    /// The form's own fields written at `place`.
    pub fn fields_on(&self, place: FieldPlace) -> impl Iterator<Item = &ActualFieldDecl> {
        self.fields.iter().filter(move |f| f.on == place)
    }
}

/// One fund-source row of the money block.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyRowDef {
    /// Its key in actuals files (`fiscal`, `carryover`, `special`, `unit`, `other`).
    pub key: String,
    /// Printed, e.g. 其中：当年财政拨款.
    pub label: String,
}

/// Checks that a form's kind and its `evaluation` section agree and name known keys.
pub(super) fn check(def: &FormDef) -> Result<(), String> {
    let Some(evaluation) = &def.evaluation else {
        return match def.kind {
            FormKind::Targets => Ok(()),
            kind => Err(format!("{}表样需要 evaluation 一节（资金行、资金栏和计分或监控规则）", kind.label())),
        };
    };
    match def.kind {
        FormKind::Targets => return Err("绩效目标表的表样不应有 evaluation 一节（kind 写错了？）".into()),
        FormKind::SelfEvaluation if evaluation.scoring.is_none() => {
            return Err("绩效自评表的表样需要 evaluation.scoring（计分规则）".into());
        }
        FormKind::Monitoring if evaluation.monitoring.is_none() => {
            return Err("绩效运行监控表的表样需要 evaluation.monitoring（监控规则）".into());
        }
        _ => {}
    }
    for row in &evaluation.money_rows {
        if !MONEY_ROWS.contains(&row.key.as_str()) {
            return Err(format!(
                "evaluation.money_rows 中的 {} 不是资金来源（应是 {}）",
                row.key,
                MONEY_ROWS.join("、")
            ));
        }
    }
    for column in &evaluation.money_columns {
        if !MONEY_COLUMNS.contains(&column.as_str()) {
            return Err(format!(
                "evaluation.money_columns 中的 {column} 不是资金栏（应是 {}）",
                MONEY_COLUMNS.join("、")
            ));
        }
    }
    for field in &evaluation.fields {
        let catalog = match field.on {
            FieldPlace::Project => crate::model::actuals::PROJECT_FIELDS,
            FieldPlace::Indicator => crate::model::actuals::INDICATOR_FIELDS,
        };
        let plain = field.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !plain || field.key.is_empty() || catalog.iter().any(|f| f.key == field.key) {
            return Err(format!(
                "evaluation.fields 中的 {} 应是小写英文字母、数字和下划线，且不能与内置的字段同名",
                field.key
            ));
        }
    }
    if let Some(scoring) = &evaluation.scoring {
        if scoring.grades.windows(2).any(|w| w[0].min <= w[1].min) {
            return Err("evaluation.scoring.grades 应从高到低排列（优、良、中、差）".into());
        }
        let hundred = rust_decimal::Decimal::ONE_HUNDRED;
        if let Some(band) =
            scoring.qualitative.iter().find(|b| b.low > b.high || b.high > hundred || b.low.is_sign_negative())
        {
            return Err(format!("evaluation.scoring.qualitative 中“{}”的区间应在 0–100 之间且 low ≤ high", band.grade));
        }
        let points: rust_decimal::Decimal = scoring.levels.iter().map(|l| l.points).sum();
        if !scoring.row_weights_required && points + scoring.execution.points != scoring.total {
            return Err(format!(
                "evaluation.scoring：各一级指标的分值（{points}）加预算执行率的分值（{}）应等于总分 {}",
                scoring.execution.points, scoring.total
            ));
        }
    }
    Ok(())
}
