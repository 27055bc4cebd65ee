//! W0204: 指标值确定依据 left blank (13 rows in the seed).

use super::{Input, Lint};
use crate::diag::Rule;
use crate::validate::FileCheck;

/// The rule.
pub const RULE: Rule = Rule::warning("W0204", "blank-basis", "指标值确定依据为空。");
/// The lint.
pub const LINT: Lint = Lint { rule: &RULE, check };

fn check(file: &mut FileCheck, input: &Input) {
    // Only on forms that have the column.
    if !input.form.fields.has_indicator("basis") {
        return;
    }
    for indicator in &input.spec.indicators {
        if indicator.text("basis").is_none_or(|b| b.value.is_empty()) {
            file.report(&RULE, &indicator.name, format!("指标“{}”的指标值确定依据为空", indicator.name.value))
                .set_hint("请写明指标值的来源，例如“2024 年预算”“依据上级文件要求”");
        }
    }
}
