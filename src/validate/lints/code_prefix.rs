//! W0209: a project code that does not start with the department code.

use super::{Input, Lint};
use crate::diag::Rule;
use crate::validate::FileCheck;

/// The rule.
pub const RULE: Rule = Rule::warning("W0209", "code-prefix", "项目编码不以部门编码开头。");
/// The lint.
pub const LINT: Lint = Lint { rule: &RULE, check };

fn check(file: &mut FileCheck, input: &Input) {
    let (spec, department) = (input.spec, &input.year.department_code);
    let written = crate::model::is_written(&spec.code);
    if written && !department.is_empty() && !spec.code.value.starts_with(department.as_str()) {
        file.report(&RULE, &spec.code, format!("项目编码 {} 不以部门编码 {department} 开头", spec.code.value.as_str()));
    }
}
