//! Change marks: what a change-marked report (`jixiao diff --pdf`) tells its templates
//! about each printed item. In every other document the marks are empty, and templates
//! that test them print exactly what they print without them. The list of changes is
//! made of the lines `jixiao diff` prints ([`Line`]; the review writes them).

use std::collections::BTreeMap;

use serde::Serialize;

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

/// What a piece of a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Ordinary text.
    Text,
    /// A whole value as it was.
    Old,
    /// A whole value as it is now.
    New,
    /// A span taken out of a text.
    Deleted,
    /// A span put into a text.
    Inserted,
}

/// One piece of a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// What it is.
    pub mark: Mark,
    /// Its text.
    pub text: String,
}

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A department's year.
    Year,
    /// A project's heading.
    Project,
    /// A detail.
    Item,
    /// Something added as a whole (a project, an indicator).
    Added,
    /// Something removed as a whole.
    Removed,
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// What it is.
    pub kind: Kind,
    /// How deep it sits (0: a year's own lines).
    pub depth: usize,
    /// Its pieces.
    pub spans: Vec<Span>,
}
