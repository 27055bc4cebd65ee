//! Lints: likely mistakes that still give a printable PDF (warnings). Each lint is one
//! file here: its rule (code, the name `allow:` uses, one sentence) and its check. To add
//! one, write the file, list it in [`LINTS`], and add a fixture under
//! `tests/fixtures/rules/`.

mod basis_year_mismatch;
mod blank_basis;
mod code_prefix;
mod cost_differs_from_funds;
mod description_equals_name;
mod goal_contradicts_indicator;
mod known_typo;
mod missing_money_unit;
mod mixed_money_unit;
mod quantity_without_unit;
mod rate_not_percent;

use crate::diag::Rule;
use crate::form::Form;
use crate::spec::model::ProjectSpec;
use crate::validate::department::YearContext;
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

/// Every lint, in code order (the order of the README's table).
pub const LINTS: &[Lint] = &[
    goal_contradicts_indicator::LINT,
    mixed_money_unit::LINT,
    missing_money_unit::LINT,
    blank_basis::LINT,
    description_equals_name::LINT,
    quantity_without_unit::LINT,
    rate_not_percent::LINT,
    basis_year_mismatch::LINT,
    code_prefix::LINT,
    known_typo::LINT,
    cost_differs_from_funds::LINT,
];

/// Runs every lint on a project.
pub fn check_project(file: &mut FileCheck, input: &Input) {
    for lint in LINTS {
        (lint.check)(file, input);
    }
}
