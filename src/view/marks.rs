//! Change marks: what a change-marked report (`jixiao diff --pdf`) tells its templates
//! about each printed item. In every other document the marks are empty, and templates
//! that test them print exactly what they print without them.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::review::show::Line;

/// What changed in one printed item (a table, a row, a cell group).
#[derive(Serialize, Clone, Default, Debug, PartialEq, Eq)]
pub struct Marks {
    /// `""` (unchanged), `added`, `changed` or `moved`.
    pub status: String,
    /// The old printed value of each changed field, by field name (`name`, `value`,
    /// `funds.fiscal`, …; `place` for a moved indicator's old 一级 › 二级). `""` for a
    /// field that was not written before.
    pub old: BTreeMap<String, String>,
}

impl Marks {
    /// Whether nothing is marked.
    pub fn is_empty(&self) -> bool {
        self.status.is_empty() && self.old.is_empty()
    }
}

/// The list of changes a change-marked report prints before its cover.
#[derive(Serialize, Clone, Debug)]
pub struct ChangesView {
    /// The old side, as the user named it (a revision, a year, a folder).
    pub old: String,
    /// The new side.
    pub new: String,
    /// One line counting what changed.
    pub summary: String,
    /// The changes, line by line (the same lines `jixiao diff` prints).
    pub lines: Vec<Line>,
}
