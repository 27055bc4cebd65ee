//! W0205: a description that only repeats the 三级 name.

use super::{Input, Lint};
use crate::diag::Rule;
use crate::validate::FileCheck;

/// The rule.
pub const RULE: Rule = Rule::warning("W0205", "description-equals-name", "绩效指标描述与三级指标名称完全相同。");
/// The lint.
pub const LINT: Lint = Lint { rule: &RULE, check };

fn check(file: &mut FileCheck, input: &Input) {
    for indicator in &input.spec.indicators {
        let Some(description) = indicator.text("description") else { continue };
        if description.value.as_str() == indicator.name.value.as_str() {
            file.report(&RULE, description, "绩效指标描述与三级指标名称完全相同")
                .set_hint("描述应说明指标衡量什么、怎样衡量");
        }
    }
}
