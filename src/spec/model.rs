//! The YAML spec model: what a clerk writes, field by field, with source positions.
//!
//! Every scalar that a diagnostic may point at is a [`Spanned`] value. Keys are English
//! snake_case, values Chinese. Nothing derived is stored: no numbering, no totals, no blank
//! rows (the form decides what prints). Unknown keys are errors (`deny_unknown_fields`).
//! Numbers are kept as the text the clerk wrote and parsed into exact decimals by the
//! validator, never through floats.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

use crate::form::fields::{FieldType, FormFields};
use crate::spec::tree::{Node, Value};

/// A kind of spec file: its typed model and the shape of its keys.
pub trait Spec: serde::de::DeserializeOwned + Clone + Send + Sync + 'static {
    /// The top-level fields for a form with these fields (see [`crate::spec::schema`]).
    fn schema(form: &FormFields) -> Vec<crate::spec::schema::Field>;
    /// Takes the form's own fields (those the model has no place for) from the file's
    /// tree, once its shape has been checked.
    fn take_extra(&mut self, _tree: &Node, _form: &FormFields) {}
}

impl Spec for DepartmentSpec {
    fn schema(form: &FormFields) -> Vec<crate::spec::schema::Field> {
        crate::spec::schema::department(form)
    }

    fn take_extra(&mut self, tree: &Node, form: &FormFields) {
        let Value::Map(entries) = &tree.value else { return };
        self.extra = scalars(entries, |key| form.department.iter().any(|f| f.key == key));
    }
}

impl Spec for ProjectSpec {
    fn schema(form: &FormFields) -> Vec<crate::spec::schema::Field> {
        crate::spec::schema::project(form)
    }

    fn take_extra(&mut self, tree: &Node, form: &FormFields) {
        let Value::Map(entries) = &tree.value else { return };
        let own = |key: &str, fields: &[crate::form::fields::Field]| fields.iter().any(|f| f.key == key && !f.builtin);
        self.extra = scalars(entries, |key| own(key, &form.project));
        let rows_field = |key: &str| form.project.iter().any(|f| f.key == key && f.kind == FieldType::Rows);
        self.rows = entries
            .iter()
            .filter(|(key, _)| rows_field(&key.value))
            .map(|(key, node)| {
                let rows = match &node.value {
                    Value::List(items) => items
                        .iter()
                        .filter_map(|item| match &item.value {
                            Value::Map(cells) => Some(scalars(cells, |_| true)),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                (key.clone(), rows)
            })
            .collect();
        let Some((_, list)) = entries.iter().find(|(k, _)| k.value == "indicators") else { return };
        let Value::List(items) = &list.value else { return };
        for (indicator, item) in self.indicators.iter_mut().zip(items) {
            if let Value::Map(entries) = &item.value {
                indicator.extra = scalars(entries, |key| own(key, &form.indicator));
            }
        }
    }
}

/// The scalar entries of a map whose key passes `keep`, as (key, value) texts.
fn scalars(entries: &[(Spanned<String>, Node)], keep: impl Fn(&str) -> bool) -> Vec<(Text, Text)> {
    entries
        .iter()
        .filter(|(key, _)| keep(&key.value))
        .filter_map(|(key, node)| match &node.value {
            Value::Scalar(text) => {
                Some((key.clone(), Spanned { value: text.clone(), referenced: node.referenced, defined: node.defined }))
            }
            _ => None,
        })
        .collect()
}

/// A piece of text with its position in the spec file.
pub type Text = Spanned<String>;

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
    /// Department code, always a quoted string (e.g. `"131003"`).
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
    /// The introductory paragraph.
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
/// has, and which it must have, is the form's ([`FormFields`]); the shape check before
/// this model is read refuses every key the form does not have.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectSpec {
    /// 项目编码, digits only, quoted; must equal the file name.
    pub code: Text,
    /// 预算项目名称.
    pub name: Text,
    /// 项目资金主要用途.
    #[serde(default)]
    pub purpose: Option<Text>,
    /// 资金支出计划（%）: cumulative percent by checkpoint month, e.g. `3: 10`.
    #[serde(default)]
    pub spending_plan: Option<Spanned<SpendingPlan>>,
    /// 绩效目标 (the annual goal).
    #[serde(default)]
    pub goal: Option<Text>,
    /// 中期目标, on forms that have one.
    #[serde(default)]
    pub mid_term_goal: Option<Text>,
    /// The indicators, one block each; print order inside a 二级 slot is list order.
    #[serde(default)]
    pub indicators: Vec<IndicatorSpec>,
    /// 主管部门, on forms that print it.
    #[serde(default)]
    pub competent_dept: Option<Text>,
    /// 实施单位, on forms that print it.
    #[serde(default)]
    pub implementing_unit: Option<Text>,
    /// 项目属性 (e.g. 新增 / 延续).
    #[serde(default)]
    pub attribute: Option<Text>,
    /// 项目期限.
    #[serde(default)]
    pub period: Option<Period>,
    /// The money block of newer forms, in the year's money unit.
    #[serde(default)]
    pub funds: Option<Funds>,
    /// Lints silenced for this project, by name.
    #[serde(default)]
    pub allow: Vec<Text>,
    /// The form's own fields (`key`, value), in file order.
    #[serde(skip)]
    pub extra: Vec<(Text, Text)>,
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
    /// 绩效指标描述.
    #[serde(default)]
    pub description: Option<Text>,
    /// 指标值, printed verbatim (e.g. `98%以上`, `25 万元`, `完成`).
    pub value: Text,
    /// Which of the form's indicator tables the row belongs to (forms with several).
    #[serde(default)]
    pub table: Option<Text>,
    /// 指标值确定依据; may be absent (prints blank).
    #[serde(default)]
    pub basis: Option<Text>,
    /// 指标值类型 (定量 / 定性), on forms that print it.
    #[serde(default)]
    pub value_type: Option<Text>,
    /// 计量单位, on forms that print it.
    #[serde(default)]
    pub unit: Option<Text>,
    /// 权重 (a number), on forms that print it.
    #[serde(default)]
    pub weight: Option<Text>,
    /// 指标解释.
    #[serde(default)]
    pub explanation: Option<Text>,
    /// 评(扣)分标准.
    #[serde(default)]
    pub scoring: Option<Text>,
    /// The form's own fields (`key`, value), in file order.
    #[serde(skip)]
    pub extra: Vec<(Text, Text)>,
}

/// 资金支出计划: the entries as written, keys as text. Keys are compared after
/// normalisation ([`SpendingPlan::month`]): `3`, `"3"` and `03` are one checkpoint, and
/// writing it twice is an error, never "the later wins".
#[derive(Debug, Clone, Default)]
pub struct SpendingPlan {
    /// `(key, value)` in file order.
    pub entries: Vec<(Text, Text)>,
}

impl SpendingPlan {
    /// The month a key names: one or two ASCII digits (leading zeros allowed), 1–12.
    pub fn month(key: &str) -> Option<u32> {
        let key = key.trim();
        let digits = key.trim_start_matches('0');
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 2 {
            return None;
        }
        digits.parse::<u32>().ok().filter(|m| (1..=12).contains(m))
    }

    /// The value written for `month` (the first, if it was written twice).
    pub fn get(&self, month: u32) -> Option<&Text> {
        self.entries.iter().find(|(k, _)| Self::month(&k.value) == Some(month)).map(|(_, v)| v)
    }
}

impl<'de> Deserialize<'de> for SpendingPlan {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = SpendingPlan;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SpendingPlan, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<Text, Text>()? {
                    entries.push(entry);
                }
                Ok(SpendingPlan { entries })
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

impl ProjectSpec {
    /// The text of a money field by its key (`funds.fiscal`, `funds.other`,
    /// `funds.carryover`, or a form's own field), when written and not blank.
    pub fn money_field(&self, key: &str) -> Option<&str> {
        let funds = self.funds.as_ref();
        let text = match key {
            "funds.fiscal" => funds.and_then(|f| f.fiscal.as_ref()),
            "funds.other" => funds.and_then(|f| f.other.as_ref()),
            "funds.carryover" => funds.and_then(|f| f.carryover.as_ref()),
            own => self.extra.iter().find(|(k, _)| k.value == own).map(|(_, v)| v),
        }?;
        Some(text.value.trim()).filter(|t| !t.is_empty())
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
        texts.extend(
            [
                &self.purpose,
                &self.goal,
                &self.mid_term_goal,
                &self.competent_dept,
                &self.implementing_unit,
                &self.attribute,
            ]
            .into_iter()
            .flatten(),
        );
        if let Some(period) = &self.period {
            texts.extend([&period.start, &period.end]);
        }
        for i in &self.indicators {
            texts.extend([&i.name]);
            texts.extend(i.description.iter());
            texts.push(&i.value);
            texts.extend(
                [&i.basis, &i.value_type, &i.unit, &i.weight, &i.explanation, &i.scoring].into_iter().flatten(),
            );
            texts.extend(i.extra.iter().map(|(_, v)| v));
        }
        texts.extend(self.extra.iter().map(|(_, v)| v));
        texts.extend(self.rows.iter().flat_map(|(_, rows)| rows.iter().flatten().map(|(_, v)| v)));
        texts
    }
}

impl DepartmentSpec {
    /// Every data text of the department file (not its `year:`).
    pub fn texts(&self) -> Vec<&Text> {
        let mut texts = vec![&self.department.name];
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
