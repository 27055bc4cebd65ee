//! Review: what changed between two versions of a year's specs, the way a budget officer
//! reads it. Projects are matched by code (or, when asked, by content under a new code),
//! indicators by their 二级 slot and 三级 name, every other field by its key; a changed
//! number states its delta in its unit, a changed long text its changed spans.
//!
//! The result ([`YearDiff`]) is plain data: `jixiao diff` prints it ([`show`]) or writes
//! it as JSON (its serde form is the documented, stable format), and the change-marked
//! PDF hands it to the templates ([`marking`]).

pub mod actuals;
pub mod compare;
pub mod delta;
pub mod field_changes;
pub mod flat;
pub mod indicators;
pub mod marking;
pub mod show;
pub mod text_diff;

use serde::Serialize;

pub use compare::{Options, YearSide, compare_year};
pub use delta::Delta;
pub use text_diff::{Op, Segment};

/// The version of the JSON format; raised when a field changes meaning or goes away.
pub const FORMAT_VERSION: u32 = 1;

/// Everything that differs between two places.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// [`FORMAT_VERSION`].
    pub version: u32,
    /// What the old side is (a revision, a folder, a year).
    pub old: String,
    /// What the new side is.
    pub new: String,
    /// Whether anything changed.
    pub changed: bool,
    /// One entry per pair of year folders compared.
    pub years: Vec<YearDiff>,
}

impl Diff {
    /// A diff of the years compared.
    pub fn new(old: String, new: String, years: Vec<YearDiff>) -> Diff {
        let changed = years.iter().any(YearDiff::changed);
        Diff { version: FORMAT_VERSION, old, new, changed, years }
    }
}

/// What changed in one department's year.
#[derive(Debug, Clone, Serialize)]
pub struct YearDiff {
    /// The old year folder (`null` when the year is new).
    pub old_dir: Option<String>,
    /// The new year folder (`null` when the year was removed).
    pub new_dir: Option<String>,
    /// The department (the new side's when both have one).
    pub department: DepartmentId,
    /// The budget year on each side.
    pub year: Pair<u32>,
    /// The year's money unit (the new side's).
    pub money_unit: String,
    /// The department's total budget (the summary's 合计) on each side, with the delta.
    pub total: Amount,
    /// Changed fields of the department file.
    pub fields: Vec<FieldChange>,
    /// Projects added, removed or changed, in code order (unchanged ones are left out).
    pub projects: Vec<ProjectDiff>,
    /// The year's periods (monitoring, self-evaluation) whose actual figures or results
    /// changed.
    pub periods: Vec<actuals::PeriodDiff>,
}

impl YearDiff {
    /// Whether anything changed in this year.
    pub fn changed(&self) -> bool {
        self.old_dir.is_none()
            || self.new_dir.is_none()
            || !self.fields.is_empty()
            || !self.projects.is_empty()
            || !self.periods.is_empty()
    }
}

/// Code and name of a department.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DepartmentId {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
}

/// A value on the old and the new side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Pair<T> {
    /// Before.
    pub old: Option<T>,
    /// After.
    pub new: Option<T>,
}

/// An amount in the money unit before and after.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Amount {
    /// Before (`null` when unknown or absent).
    pub old: Option<String>,
    /// After.
    pub new: Option<String>,
    /// `new - old` when both are known.
    pub delta: Option<Delta>,
}

impl Amount {
    /// Whether the amount differs.
    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

/// How a project or an indicator changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Removed,
    /// On both sides, different.
    Changed,
    /// An indicator now in another 二级 slot (its fields may have changed too).
    Moved,
}

/// One changed field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    /// Key path (`purpose`, `spending_plan.3`, `funds.fiscal`, `value`, `narrative.intro`).
    pub field: String,
    /// Chinese label.
    pub label: String,
    /// Before (`null`: not written).
    pub old: Option<String>,
    /// After (`null`: no longer written).
    pub new: Option<String>,
    /// The numeric difference, when both values are numbers in the same unit.
    pub delta: Option<Delta>,
    /// The changed spans, for long texts.
    pub text_diff: Option<Vec<Segment>>,
}

/// One project added, removed or changed.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectDiff {
    /// How.
    pub status: Status,
    /// 项目编码 (the new one when it changed).
    pub code: String,
    /// The old code, when the project was found under a new code (`--find-renames`).
    pub old_code: Option<String>,
    /// 预算项目名称 (the new one when it changed).
    pub name: String,
    /// The old name, when it changed.
    pub old_name: Option<String>,
    /// The project's budget (the amount in the summary) before and after.
    pub amount: Amount,
    /// Changed header fields (for an added or removed project: every field, one side empty).
    pub fields: Vec<FieldChange>,
    /// Indicators added, removed, moved or changed, in the new table's order.
    pub indicators: Vec<IndicatorDiff>,
}

/// One indicator added, removed, moved or changed.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorDiff {
    /// How.
    pub status: Status,
    /// Where it is: 一级 and 二级 (the old place for a removed one).
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// 三级指标 (the new name when it changed).
    pub name: String,
    /// The old place, for a moved indicator.
    pub old_level1: Option<String>,
    /// The old 二级 slot, for a moved indicator.
    pub old_level2: Option<String>,
    /// The old name, when it changed.
    pub old_name: Option<String>,
    /// Its position in the new spec's `indicators` list (`null` for a removed one).
    pub index: Option<usize>,
    /// Changed fields (every field for an added or removed one, one side empty).
    pub fields: Vec<FieldChange>,
}
