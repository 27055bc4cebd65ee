//! Lints: likely mistakes that still give a printable PDF (warnings). Each lint is one
//! file here: its rule (code, the name `allow:` uses, one sentence) and its check, as a
//! `pub const LINT: Lint`. To add one, write the file (`build.rs` registers every file of
//! this folder) and add a fixture `tests/fixtures/rules/<code>-<name>.yaml`.

// Every other file of this folder is a lint module, registered by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/lints.rs"));

use crate::diag::Rule;
use crate::form::Form;
use crate::model::ProjectSpec;
use crate::validate::YearContext;
use crate::validate::{FileCheck, ProjectFacts};

pub use missing_money_unit::RULE as MISSING_MONEY_UNIT;

/// What a lint looks at: one project, what validation learnt of it, its form and year.
pub struct Input<'a> {
    /// The project.
    pub spec: &'a ProjectSpec,
    /// Parsed values and the budget.
    pub facts: &'a ProjectFacts,
    /// The form it is printed with.
    pub form: &'a Form,
    /// Its year and department.
    pub year: &'a YearContext,
}

/// One lint: its rule and its check.
pub struct Lint {
    /// What it reports.
    pub rule: &'static Rule,
    /// Records its warnings for one project.
    pub check: fn(&mut FileCheck, &Input),
}

/// Every lint, in code order (the order of the README's table and of the warnings at one
/// place).
pub fn lints() -> &'static [&'static Lint] {
    static SORTED: std::sync::LazyLock<Vec<&'static Lint>> = std::sync::LazyLock::new(|| {
        let mut lints: Vec<&'static Lint> = REGISTERED.iter().collect();
        lints.sort_by_key(|lint| lint.rule.code);
        lints
    });
    &SORTED
}

/// Runs every lint on a project.
pub fn check_project(file: &mut FileCheck, input: &Input) {
    for lint in lints() {
        (lint.check)(file, input);
    }
}
