//! Every built-in field of a spec, described once: its key, Chinese label, type, whether
//! forms must write it, and how the model holds it. The shape check, the JSON Schema,
//! the forms' field lists, the text checks, the diff, `textconv`, the view and the
//! editor all read these lists, so a new built-in text field is one line here.

use serde::{Deserialize, Serialize};

/// What a field holds, and so how it is checked (and, in a diff, measured).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Any short text.
    #[default]
    Text,
    /// Long text (paragraphs); not checked either.
    FreeText,
    /// An amount: a number, optionally followed by a unit (`250`, `250万`, `12.5 万元`).
    Money,
    /// A percentage: a number from 0 to 100, optionally followed by `%`.
    Percent,
    /// A plain number.
    Number,
    /// A date: `2024`, `2024-03`, `2024.03`, `2024-03-31`, `2024年3月`.
    Date,
    /// Two dates: `2024-01 至 2026-12`, `2023.07-2024.01`.
    DateRange,
    /// One of `choices`.
    Choice,
    /// An 指标值: a quantity (comparison, number or range, unit) or a qualitative word.
    Quantity,
    /// A built-in block whose shape jixiao knows (the spending plan, 项目期限, 资金).
    Block,
    /// A list of rows with the declared `columns` (e.g. 项目实施进度计划: 实施内容,
    /// 开始时间, 完成时间), for project fields.
    Rows,
}

impl FieldType {
    /// The type's name in Chinese, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::Text => "文字",
            FieldType::FreeText => "长文字",
            FieldType::Money => "金额",
            FieldType::Percent => "百分比",
            FieldType::Number => "数字",
            FieldType::Date => "日期",
            FieldType::DateRange => "日期区间",
            FieldType::Choice => "选项",
            FieldType::Quantity => "指标值",
            FieldType::Block => "键值对",
            FieldType::Rows => "若干行",
        }
    }
}

/// Which forms have a field, and whether they must write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Every form has it, never declared (a project's `name`, an indicator's `value`).
    Core,
    /// A form turns it on in `form.yaml`; the seed's form (no list declared) requires it.
    Seed,
    /// A form turns it on in `form.yaml`; the seed's form has it, optional.
    Optional,
}

/// How the model holds a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// A text among the file's written texts (see [`crate::model::Texts`]), or a core
    /// text the model names.
    Text,
    /// The spending plan (cumulative percent by month).
    Plan,
    /// A map of text [`About::parts`] (项目期限, 资金).
    Parts,
    /// The indicator list.
    Indicators,
    /// The list of lints silenced.
    Allow,
}

/// One built-in field.
#[derive(Debug, Clone, Copy)]
pub struct About {
    /// The spec key (English snake_case).
    pub key: &'static str,
    /// The Chinese name, printed and used in messages.
    pub label: &'static str,
    /// What it holds.
    pub kind: FieldType,
    /// Which forms have it.
    pub need: Need,
    /// How the model holds it.
    pub holds: Holds,
    /// Whether a written value may be left blank (a basis not yet known); others must
    /// say something when written.
    pub blank_ok: bool,
    /// Its parts, for [`Holds::Parts`] (keys of the map, each a text).
    pub parts: &'static [Part],
    /// How `textconv` joins the parts on one line (`项目期限：2024-01 至 2024-12`);
    /// `None`: a line per part.
    pub joined: Option<&'static str>,
}

/// One text of a block field.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    /// Its key inside the block (`start`, `fiscal`).
    pub key: &'static str,
    /// Its own Chinese name (`开始`, `财政拨款`).
    pub label: &'static str,
    /// What it holds.
    pub kind: FieldType,
    /// Whether a block that is written must have it.
    pub required: bool,
}

const fn text(key: &'static str, label: &'static str, kind: FieldType, need: Need) -> About {
    About { key, label, kind, need, holds: Holds::Text, blank_ok: false, parts: &[], joined: None }
}

const fn blank_ok(about: About) -> About {
    About { blank_ok: true, ..about }
}

const fn held(key: &'static str, label: &'static str, kind: FieldType, need: Need, holds: Holds) -> About {
    About { key, label, kind, need, holds, blank_ok: false, parts: &[], joined: None }
}

const fn part(key: &'static str, label: &'static str, kind: FieldType, required: bool) -> Part {
    Part { key, label, kind, required }
}

use FieldType::{Block, FreeText, Money, Number, Quantity, Text};
use Need::{Core, Optional, Seed};

/// A project's fields, in the model's (and the messages') order.
pub const PROJECT: &[About] = &[
    text("code", "项目编码", Text, Core),
    text("name", "预算项目名称", Text, Core),
    text("purpose", "项目资金主要用途", FreeText, Seed),
    held("spending_plan", "资金支出计划（%）", Block, Seed, Holds::Plan),
    text("goal", "绩效目标", FreeText, Seed),
    text("mid_term_goal", "中期目标", FreeText, Optional),
    held("indicators", "绩效指标", Block, Core, Holds::Indicators),
    text("competent_dept", "主管部门", Text, Optional),
    text("implementing_unit", "实施单位", Text, Optional),
    text("attribute", "项目属性", Text, Optional),
    About {
        parts: &[part("start", "开始", Text, true), part("end", "结束", Text, true)],
        joined: Some(" 至 "),
        ..held("period", "项目期限", Block, Optional, Holds::Parts)
    },
    About {
        parts: &[
            part("fiscal", "财政拨款", Money, false),
            part("other", "其他资金", Money, false),
            part("carryover", "上年结转", Money, false),
        ],
        ..held("funds", "资金情况", Block, Optional, Holds::Parts)
    },
    held("allow", "忽略的提示", Block, Core, Holds::Allow),
];

/// An indicator's fields, in the model's order (`table`, the form's indicator table the
/// row belongs to, is the form's structure, not a field).
pub const INDICATOR: &[About] = &[
    text("level1", "一级指标", Text, Core),
    text("level2", "二级指标", Text, Core),
    text("name", "三级指标", Text, Core),
    text("description", "绩效指标描述", FreeText, Seed),
    text("value", "指标值", Quantity, Core),
    blank_ok(text("basis", "指标值确定依据", Text, Optional)),
    blank_ok(text("value_type", "指标值类型", Text, Optional)),
    blank_ok(text("unit", "计量单位", Text, Optional)),
    text("weight", "权重", Number, Optional),
    blank_ok(text("explanation", "指标解释", FreeText, Optional)),
    blank_ok(text("scoring", "评（扣）分标准", FreeText, Optional)),
];

/// Keys of the department file and of nested maps that are not project or indicator
/// fields, with their Chinese names.
const OTHER_KEYS: &[(&str, &str)] = &[
    ("form", "表样"),
    ("year", "预算年度"),
    ("department", "部门"),
    ("money_unit", "金额单位"),
    ("date", "编制日期"),
    ("cover", "封面"),
    ("title", "标题"),
    ("compiled_by", "编制单位"),
    ("headings", "章节标题"),
    ("goals", "绩效目标列表"),
    ("tasks", "重点工作"),
    ("summary", "项目汇总"),
    ("projects", "项目支出绩效目标表"),
    ("narrative", "部门整体绩效目标"),
    ("intro", "引言"),
    ("indicator", "绩效指标"),
    ("table", "指标表"),
];

/// A project field by key.
pub fn project(key: &str) -> Option<&'static About> {
    PROJECT.iter().find(|a| a.key == key)
}

/// An indicator field by key.
pub fn indicator(key: &str) -> Option<&'static About> {
    INDICATOR.iter().find(|a| a.key == key)
}

/// Whether `key` is a built-in project or indicator field some form may turn on.
pub fn is_builtin(key: &str) -> bool {
    PROJECT.iter().chain(INDICATOR).any(|a| a.key == key && a.need != Core)
}

/// What a spec key means, in Chinese; the key itself when it is not a spec key.
pub fn describe(key: &str) -> &str {
    // A key both files have (`name`, `code`) reads as the department's in a department
    // file's messages too: its label comes from the other keys first.
    match key {
        "code" => return "编码",
        "name" => return "名称",
        "goal" => return "绩效目标",
        _ => {}
    }
    let parts = PROJECT.iter().flat_map(|a| a.parts).map(|p| (p.key, p.label));
    let fields = PROJECT.iter().chain(INDICATOR).map(|a| (a.key, a.label));
    OTHER_KEYS.iter().copied().chain(fields).chain(parts).find(|(k, _)| *k == key).map_or(key, |(_, label)| label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_described_once_per_place() {
        for list in [PROJECT, INDICATOR] {
            for (i, a) in list.iter().enumerate() {
                assert!(list[..i].iter().all(|b| b.key != a.key), "{} twice", a.key);
                assert_eq!(a.parts.is_empty(), a.holds != Holds::Parts, "{}", a.key);
            }
        }
        assert_eq!(describe("purpose"), "项目资金主要用途");
        assert_eq!(describe("fiscal"), "财政拨款");
        assert_eq!(describe("nothing"), "nothing");
        assert!(is_builtin("basis") && !is_builtin("name"));
    }
}
