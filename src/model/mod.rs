//! The YAML spec model: what a clerk writes, field by field, with source positions.
//!
//! Every scalar that a diagnostic may point at is a [`Spanned`] value. Keys are English
//! snake_case, values Chinese. Nothing derived is stored: no numbering, no totals, no blank
//! rows (the form decides what prints). Unknown keys are errors (`deny_unknown_fields`).
//! Numbers are kept as the text the clerk wrote and parsed into exact decimals by the
//! validator, never through floats. Which fields there are is described once, in
//! [`catalog`]; a form's fields are declared in its `form.yaml`.

use serde::Deserialize;
use serde_saphyr::Spanned;

pub mod actuals;
pub mod catalog;
pub mod plan;
mod text;

pub use plan::SpendingPlan;
pub use text::{Located, Text, unwritten};

/// Whether a text was written in the file (not filled in, see [`unwritten`]).
pub fn is_written(text: &Text) -> bool {
    text.referenced.line() > 0
}

/// One row of a form's field of several rows: (column key, value) in file order.
pub type Row = Vec<(Text, Text)>;

/// `specs/<year>/department.yaml`: the department, the budget year and the narrative
/// (and the form's own department fields; the shape check refuses any other key).
#[derive(Debug, Clone, Deserialize)]
pub struct DepartmentSpec {
    /// Name of the form (a folder under `templates/`); the seed's form when absent.
    #[serde(default)]
    pub form: Option<Text>,
    /// Budget year, e.g. `2024`; must match the folder name.
    pub year: Spanned<u32>,
    /// Code and name of the department.
    pub department: DepartmentId,
    /// Unit of every amount in this year's specs, e.g. `万元`.
    #[serde(default)]
    pub money_unit: Option<Text>,
    /// 编制日期, e.g. `2024-01-15`: the date of the year's PDFs (PDF/A needs one).
    #[serde(default)]
    pub date: Option<Text>,
    /// Cover texts of the combined report.
    #[serde(default)]
    pub cover: Option<Cover>,
    /// Section headings of the combined report (defaults come from the form).
    #[serde(default)]
    pub headings: Option<Headings>,
    /// The 部门整体绩效目标 narrative.
    pub narrative: Narrative,
    /// Lints silenced for the whole year, by name (e.g. `mixed-money-unit`).
    #[serde(default)]
    pub allow: Vec<Text>,
    /// The form's own department fields (`key`, value), in file order.
    #[serde(skip)]
    pub extra: Vec<(Text, Text)>,
}

/// Code and name of a department.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentId {
    /// Department code, always a quoted string (e.g. `"131003"`); on a form without
    /// department codes it may be left out (then empty, see [`unwritten`]).
    #[serde(default = "unwritten")]
    pub code: Text,
    /// Full name, e.g. 唐山海港经济开发区行政审批局.
    pub name: Text,
}

/// Texts of the combined report's cover page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cover {
    /// Main title; the form's default when absent.
    #[serde(default)]
    pub title: Option<Text>,
    /// The "编制" line, e.g. 唐山海港经济开发区行政审批局编制; the form's default when absent.
    #[serde(default)]
    pub compiled_by: Option<Text>,
}

/// Section headings of the combined report; each replaces the form's default.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Headings {
    /// Heading of the narrative (duties and goals).
    #[serde(default)]
    pub goals: Option<Text>,
    /// Heading of the key tasks.
    #[serde(default)]
    pub tasks: Option<Text>,
    /// Heading of the project summary.
    #[serde(default)]
    pub summary: Option<Text>,
    /// Heading of the project tables.
    #[serde(default)]
    pub projects: Option<Text>,
}

/// The department narrative: intro, numbered goals, numbered key tasks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    /// The introductory paragraph (a form may leave it out, see [`unwritten`]).
    #[serde(default = "unwritten")]
    pub intro: Text,
    /// Goals, printed as （一）（二）… in list order.
    #[serde(default)]
    pub goals: Vec<DepartmentGoal>,
    /// Key tasks, printed as 1. 2. … in list order.
    #[serde(default)]
    pub tasks: Vec<Text>,
}

/// One numbered goal of the narrative.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentGoal {
    /// Title, e.g. 政务服务事项限时办结率.
    pub title: Text,
    /// The "绩效目标：" sentence.
    pub goal: Text,
    /// The "绩效指标：" sentence.
    pub indicator: Text,
}

/// `specs/<year>/projects/<code>.yaml`: one 项目支出绩效目标表. Which fields a project
/// has, and which it must have, is the form's ([`crate::form::fields::FormFields`]); the shape check before
/// this model is read refuses every key the form does not have.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectSpec {
    /// 项目编码, digits only, quoted; must equal the file name. On a form without project
    /// codes it may be left out: the project is then known by its file name, which this
    /// holds (unwritten, see [`is_written`]).
    #[serde(default = "unwritten")]
    pub code: Text,
    /// 预算项目名称.
    pub name: Text,
    /// 资金支出计划（%）: cumulative percent by checkpoint month, e.g. `3: 10`.
    #[serde(default)]
    pub spending_plan: Option<Spanned<SpendingPlan>>,
    /// The indicators, one block each; print order inside a 二级 slot is list order.
    #[serde(default)]
    pub indicators: Vec<IndicatorSpec>,
    /// 项目期限.
    #[serde(default)]
    pub period: Option<Period>,
    /// The money block of newer forms, in the year's money unit.
    #[serde(default)]
    pub funds: Option<Funds>,
    /// Lints silenced for this project, by name.
    #[serde(default)]
    pub allow: Vec<Text>,
    /// The texts of the form's scalar fields (built-in text fields such as `purpose`,
    /// and the form's own), in file order.
    #[serde(skip)]
    pub texts: Texts,
    /// The form's own fields of several rows (`type: rows`): key, then each row's cells.
    #[serde(skip)]
    pub rows: Vec<(Text, Vec<Row>)>,
}

/// 项目期限: start and end, as written (e.g. `2024-01`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First month or year of the project.
    pub start: Text,
    /// Last month or year of the project.
    pub end: Text,
}

/// The money block (年度资金总额 is derived, never stored).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funds {
    /// 财政拨款.
    #[serde(default)]
    pub fiscal: Option<Text>,
    /// 其他资金.
    #[serde(default)]
    pub other: Option<Text>,
    /// 上年结转.
    #[serde(default)]
    pub carryover: Option<Text>,
}

/// One 三级 indicator row; its fields beyond the core ones are the form's.
#[derive(Debug, Clone, Deserialize)]
pub struct IndicatorSpec {
    /// 一级指标 label, as the form names it (e.g. 产出指标).
    pub level1: Text,
    /// 二级指标 label, as the form names it (e.g. 数量指标).
    pub level2: Text,
    /// 三级指标 (the indicator's name).
    pub name: Text,
    /// 指标值, printed verbatim (e.g. `98%以上`, `25 万元`, `完成`).
    pub value: Text,
    /// Which of the form's indicator tables the row belongs to (forms with several).
    #[serde(default)]
    pub table: Option<Text>,
    /// The texts of the form's scalar fields (built-in such as `description`, and the
    /// form's own), in file order.
    #[serde(skip)]
    pub texts: Texts,
}

impl IndicatorSpec {
    /// A text field by key: a core one (`level1`, `level2`, `name`, `value`) or one of
    /// the written [`texts`](Self::texts).
    pub fn text(&self, key: &str) -> Option<&Text> {
        match key {
            "level1" => Some(&self.level1),
            "level2" => Some(&self.level2),
            "name" => Some(&self.name),
            "value" => Some(&self.value),
            _ => self.texts.get(key),
        }
    }

    /// Whether its 指标值类型 says 定性: its value is then printed as written, never parsed.
    pub fn declared_qualitative(&self) -> bool {
        self.texts.get("value_type").is_some_and(|t| t.value.as_str() == "定性")
    }
}

impl ProjectSpec {
    /// A text field by key: `code`, `name`, or one of the written [`texts`](Self::texts).
    pub fn text(&self, key: &str) -> Option<&Text> {
        match key {
            "code" => Some(&self.code),
            "name" => Some(&self.name),
            _ => self.texts.get(key),
        }
    }

    /// The text of a part of a block field (`period.start`, `funds.fiscal`).
    pub fn part(&self, block: &str, part: &str) -> Option<&Text> {
        match (block, part) {
            ("period", "start") => self.period.as_ref().map(|p| &p.start),
            ("period", "end") => self.period.as_ref().map(|p| &p.end),
            ("funds", "fiscal") => self.funds.as_ref().and_then(|f| f.fiscal.as_ref()),
            ("funds", "other") => self.funds.as_ref().and_then(|f| f.other.as_ref()),
            ("funds", "carryover") => self.funds.as_ref().and_then(|f| f.carryover.as_ref()),
            _ => None,
        }
    }

    /// Whether a block field (`period`, `funds`) is written.
    pub fn has_block(&self, block: &str) -> bool {
        match block {
            "period" => self.period.is_some(),
            "funds" => self.funds.is_some(),
            "spending_plan" => self.spending_plan.is_some(),
            _ => false,
        }
    }

    /// The text of a money field by its key (`funds.fiscal`, `funds.other`,
    /// `funds.carryover`, or a form's own field), when written and not blank.
    pub fn money_field(&self, key: &str) -> Option<&str> {
        let text = match key.split_once('.') {
            Some((block, part)) => self.part(block, part),
            None => self.texts.get(key),
        }?;
        Some(text.value.as_str()).filter(|t| !t.is_empty())
    }

    /// The exact sum of money fields (parts not written count as nothing); `None` when a
    /// part is not an amount (`250`, `250万`) or the sum is out of range.
    pub fn sum_money(&self, parts: &[String]) -> Option<rust_decimal::Decimal> {
        let numbers: Option<Vec<rust_decimal::Decimal>> = parts
            .iter()
            .filter_map(|part| self.money_field(part))
            .map(|text| crate::value::amount(text).ok().map(|(number, _)| number))
            .collect();
        crate::value::checked_sum(&numbers?).ok()
    }

    /// Every data text of the project, in file order (what lints and the year roll-over
    /// read).
    pub fn texts(&self) -> Vec<&Text> {
        let mut texts = vec![&self.name];
        texts.extend(self.texts.values());
        if let Some(period) = &self.period {
            texts.extend([&period.start, &period.end]);
        }
        for i in &self.indicators {
            texts.push(&i.name);
            texts.push(&i.value);
            texts.extend(i.texts.values());
        }
        texts.extend(self.rows.iter().flat_map(|(_, rows)| rows.iter().flatten().map(|(_, v)| v)));
        texts
    }
}

/// The texts a file writes for a form's scalar fields, as (key, value) in file order.
#[derive(Debug, Clone, Default)]
pub struct Texts(pub Vec<(Text, Text)>);

impl Texts {
    /// The value written for `key`.
    pub fn get(&self, key: &str) -> Option<&Text> {
        self.0.iter().find(|(k, _)| k.value == key).map(|(_, v)| v)
    }

    /// Every value, in file order.
    pub fn values(&self) -> impl Iterator<Item = &Text> {
        self.0.iter().map(|(_, v)| v)
    }

    /// Every (key, value), in file order.
    pub fn iter(&self) -> impl Iterator<Item = &(Text, Text)> {
        self.0.iter()
    }
}

impl DepartmentSpec {
    /// The date of the year's documents (编制日期) as (year, month, day), when `date`
    /// is a whole date.
    pub fn document_date(&self) -> Option<(i32, u8, u8)> {
        let (year, month, day) = crate::value::parse_date(&self.date.as_ref()?.value)?;
        Some((i32::try_from(year).ok()?, u8::try_from(month?).ok()?, u8::try_from(day?).ok()?))
    }

    /// Every data text of the department file (not its `year:`).
    pub fn texts(&self) -> Vec<&Text> {
        let mut texts = vec![&self.department.name];
        texts.extend(&self.date);
        if let Some(cover) = &self.cover {
            texts.extend([&cover.title, &cover.compiled_by].into_iter().flatten());
        }
        if let Some(h) = &self.headings {
            texts.extend([&h.goals, &h.tasks, &h.summary, &h.projects].into_iter().flatten());
        }
        texts.push(&self.narrative.intro);
        for goal in &self.narrative.goals {
            texts.extend([&goal.title, &goal.goal, &goal.indicator]);
        }
        texts.extend(&self.narrative.tasks);
        texts.extend(self.extra.iter().map(|(_, v)| v));
        texts
    }
}
