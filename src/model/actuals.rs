//! The year's actual figures, kept beside the targets they answer: a period folder
//! `specs/<year>/actuals/<period>/` holds `period.yaml` (which form prints it, the
//! monitoring month, the date) and one file per project, named as its target file in
//! `projects/`. Nothing of the target is written again: indicators are named, and their
//! 一级/二级, target value and weight come from the target spec.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::Text;

/// The folder of a year that holds its period folders.
pub const ACTUALS_DIR: &str = "actuals";
/// The file of a period folder that says what the period is.
pub const PERIOD_FILE: &str = "period.yaml";

/// `period.yaml`: the form that prints this period, and its dates.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodSpec {
    /// The form (a folder under `templates/` of kind `self_evaluation` or `monitoring`).
    pub form: Text,
    /// The last month monitored (1-X月), for monitoring.
    #[serde(default)]
    pub month: Option<Spanned<u32>>,
    /// 填报日期, e.g. `2025-03-20`: the date of the period's PDFs.
    #[serde(default)]
    pub date: Option<Text>,
    /// The cover title of the period's combined report, where the form's is not wanted
    /// (e.g. to mark a worked example as one).
    #[serde(default)]
    pub title: Option<Text>,
    /// Warnings silenced for every project of the period, by name.
    #[serde(default)]
    pub allow: Vec<Text>,
}

/// One project's actual figures for the period. Keys beyond the catalog's are the
/// form's own fields ([`extra`](Self::extra), taken from the file's tree when it is read;
/// validation refuses those the form does not declare).
#[derive(Debug, Clone, Deserialize)]
pub struct ActualsSpec {
    /// The money rows, by fund source.
    #[serde(default)]
    pub money: Option<Money>,
    /// Why the budget was executed below the form's threshold (执行率偏低的原因).
    #[serde(default)]
    pub money_reason: Option<Text>,
    /// 实际完成情况 of the 年度总体目标 (at year end), or 1-X月执行情况 (monitoring).
    #[serde(default)]
    pub goal: Option<Text>,
    /// The indicators of the target spec, each named, with its actual figures.
    #[serde(default)]
    pub indicators: Vec<ActualIndicator>,
    /// 评价结论, for forms that print one.
    #[serde(default)]
    pub conclusion: Option<Text>,
    /// 存在问题.
    #[serde(default)]
    pub problems: Option<Text>,
    /// 改进措施.
    #[serde(default)]
    pub measures: Option<Text>,
    /// Warnings silenced for this project, by name.
    #[serde(default)]
    pub allow: Vec<Text>,
    /// The keys beyond the catalog's, with their texts (the form's own fields), in file order.
    #[serde(skip)]
    pub extra: Vec<(Text, Text)>,
}

/// The money block: one row per fund source the form prints (the total row is added).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// 当年财政拨款 (财政资金).
    #[serde(default)]
    pub fiscal: Option<MoneyRow>,
    /// 上年结转资金.
    #[serde(default)]
    pub carryover: Option<MoneyRow>,
    /// 财政专户管理资金.
    #[serde(default)]
    pub special: Option<MoneyRow>,
    /// 单位资金.
    #[serde(default)]
    pub unit: Option<MoneyRow>,
    /// 其他资金.
    #[serde(default)]
    pub other: Option<MoneyRow>,
}

impl Money {
    /// The row of a fund source by key.
    pub fn row(&self, key: &str) -> Option<&MoneyRow> {
        match key {
            "fiscal" => self.fiscal.as_ref(),
            "carryover" => self.carryover.as_ref(),
            "special" => self.special.as_ref(),
            "unit" => self.unit.as_ref(),
            "other" => self.other.as_ref(),
            _ => None,
        }
    }

    /// The fund sources written, with their keys, in the model's order.
    pub fn written(&self) -> Vec<(&'static str, &MoneyRow)> {
        MONEY_ROWS.iter().filter_map(|key| self.row(key).map(|row| (*key, row))).collect()
    }
}

/// Every fund-source key a money block may have.
pub const MONEY_ROWS: [&str; 5] = ["fiscal", "carryover", "special", "unit", "other"];

/// One fund source's figures, in the department's money unit.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyRow {
    /// 年初预算数.
    #[serde(default)]
    pub budget: Option<Text>,
    /// 全年预算数 (调整后预算数): 年初 plus the year's adjustments.
    #[serde(default)]
    pub adjusted: Option<Text>,
    /// 全年执行数 (at year end), 1-X月执行数 (monitoring).
    #[serde(default)]
    pub spent: Option<Text>,
    /// 全年预计执行数 (monitoring).
    #[serde(default)]
    pub forecast: Option<Text>,
}

impl MoneyRow {
    /// A column by key.
    pub fn column(&self, key: &str) -> Option<&Text> {
        match key {
            "budget" => self.budget.as_ref(),
            "adjusted" => self.adjusted.as_ref(),
            "spent" => self.spent.as_ref(),
            "forecast" => self.forecast.as_ref(),
            _ => None,
        }
    }
}

/// Every money column key.
pub const MONEY_COLUMNS: [&str; 4] = ["budget", "adjusted", "spent", "forecast"];

/// One indicator's actual figures (keys beyond the catalog's as for [`ActualsSpec`]).
#[derive(Debug, Clone, Deserialize)]
pub struct ActualIndicator {
    /// The 三级指标 of the target spec it answers.
    pub name: Text,
    /// Its 二级指标, only where the target spec has two indicators of this name.
    #[serde(default)]
    pub level2: Option<Text>,
    /// 实际完成值 (a number with unit, or the grade of a 定性 indicator); 1-X月执行情况 in
    /// monitoring.
    #[serde(default)]
    pub actual: Option<Text>,
    /// 全年预计完成情况 (monitoring).
    #[serde(default)]
    pub forecast: Option<Text>,
    /// 分值 (权重): the row's points, where the form's split is not wanted.
    #[serde(default)]
    pub weight: Option<Text>,
    /// 得分 written by hand; kept and printed only with `score_reason` when it differs
    /// from the rule's.
    #[serde(default)]
    pub score: Option<Text>,
    /// Why a hand-written score differs from the rule's.
    #[serde(default)]
    pub score_reason: Option<Text>,
    /// 正向, 反向 or 等于, where the target's words do not say (`25 万元`).
    #[serde(default)]
    pub direction: Option<Text>,
    /// `false`: the indicator does not apply this year (left out, the others rescaled).
    #[serde(default)]
    pub applies: Option<Spanned<bool>>,
    /// 偏差原因分析.
    #[serde(default)]
    pub reason: Option<Text>,
    /// 改进措施.
    #[serde(default)]
    pub measure: Option<Text>,
    /// The deviation causes ticked (monitoring: 经费保障, 制度保障, …).
    #[serde(default)]
    pub causes: Vec<Text>,
    /// 完成目标可能性 (monitoring: 确定能, 有可能, 完全不可能).
    #[serde(default)]
    pub likelihood: Option<Text>,
    /// 备注.
    #[serde(default)]
    pub note: Option<Text>,
    /// The keys beyond the catalog's, with their texts, in file order.
    #[serde(skip)]
    pub extra: Vec<(Text, Text)>,
}

impl ActualIndicator {
    /// A text field by key (`actual`, `score`, `reason`, …; not the lists and flags).
    pub fn text(&self, key: &str) -> Option<&Text> {
        match key {
            "name" => Some(&self.name),
            "level2" => self.level2.as_ref(),
            "actual" => self.actual.as_ref(),
            "forecast" => self.forecast.as_ref(),
            "weight" => self.weight.as_ref(),
            "score" => self.score.as_ref(),
            "score_reason" => self.score_reason.as_ref(),
            "direction" => self.direction.as_ref(),
            "reason" => self.reason.as_ref(),
            "measure" => self.measure.as_ref(),
            "likelihood" => self.likelihood.as_ref(),
            "note" => self.note.as_ref(),
            _ => self.extra.iter().find(|(k, _)| k.value == key).map(|(_, v)| v),
        }
    }

    /// Whether it applies this year.
    pub fn applies(&self) -> bool {
        self.applies.as_ref().is_none_or(|a| a.value)
    }
}

/// A field of an actuals file, described once: its key, its Chinese label (for schemas,
/// `textconv`, the diff and the editor) and the kinds of period that use it.
#[derive(Debug, Clone, Copy)]
pub struct ActualField {
    /// The key.
    pub key: &'static str,
    /// What it is, in Chinese.
    pub label: &'static str,
    /// Whether its value is a number (金额, 分值, 得分).
    pub number: bool,
    /// Used at year end (self-evaluation).
    pub year_end: bool,
    /// Used in monitoring.
    pub monitoring: bool,
}

impl ActualField {
    /// Its label without the explanation after it (`实际完成值（…）` → `实际完成值`).
    pub fn short_label(&self) -> &'static str {
        short_label(self.label)
    }
}

/// A label without the explanation after it: up to the first `（`, `：` or `，`.
pub fn short_label(label: &str) -> &str {
    label.split(['（', '：', '，']).next().unwrap_or(label)
}

const fn field(key: &'static str, label: &'static str, number: bool, year_end: bool, monitoring: bool) -> ActualField {
    ActualField { key, label, number, year_end, monitoring }
}

/// The fields of a project's actuals file, in the order `textconv` writes them.
pub const PROJECT_FIELDS: &[ActualField] = &[
    field("money", "资金情况", false, true, true),
    field("money_reason", "执行率偏低的原因", false, true, true),
    field("goal", "年度总体目标的实际完成情况（监控表：1-X月执行情况）", false, true, true),
    field("indicators", "绩效指标的实际情况", false, true, true),
    field("conclusion", "评价结论", false, true, false),
    field("problems", "存在问题", false, true, false),
    field("measures", "改进措施", false, true, false),
    field("allow", "忽略的提示", false, true, true),
];

/// The fields of one indicator's actuals, in the order `textconv` writes them.
pub const INDICATOR_FIELDS: &[ActualField] = &[
    field("name", "三级指标（与目标规格中的名称完全相同）", false, true, true),
    field("level2", "二级指标（只在目标规格中有同名指标时写）", false, true, true),
    field("actual", "实际完成值（定量写数字和单位，定性写等级；监控表：1-X月执行情况）", false, true, true),
    field("forecast", "全年预计完成情况", false, false, true),
    field("weight", "分值（不写时按表样把一级指标的分值平分）", true, true, false),
    field("score", "得分（定性指标必填；定量指标不写时按规则计算）", true, true, false),
    field("score_reason", "调整得分的理由（手写得分与规则不同时必填）", false, true, false),
    field("direction", "方向：正向、反向或等于（指标值没有写明时）", false, true, false),
    field("applies", "是否适用（false：本年不适用，不计分）", false, true, false),
    field("reason", "偏差原因分析", false, true, true),
    field("measure", "改进措施", false, true, true),
    field("causes", "偏差原因（勾选表样中的栏目）", false, false, true),
    field("likelihood", "完成目标可能性", false, false, true),
    field("note", "备注", false, true, true),
];

/// The labels of the money columns, by key.
pub const MONEY_COLUMN_LABELS: [(&str, &str); 4] = [
    ("budget", "年初预算数"),
    ("adjusted", "全年预算数（调整后）"),
    ("spent", "执行数"),
    ("forecast", "全年预计执行数"),
];

/// The fields of `period.yaml`.
pub const PERIOD_FIELDS: &[ActualField] = &[
    field("form", "表样（自评表或监控表，templates/ 下的目录名）", false, true, true),
    field("month", "监控到几月（7 表示 1-7 月）", true, false, true),
    field("date", "填报日期，如 2025-03-20", false, true, true),
    field("title", "合订本封面的标题（不写时用表样的）", false, true, true),
    field("allow", "本期所有项目都忽略的提示", false, true, true),
];
