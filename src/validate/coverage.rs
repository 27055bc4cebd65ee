//! E0325/E0326: a project has indicators, and one under every 一级 its form requires
//! (`required_levels`, e.g. 满意度指标).

use crate::diag::rules;
use crate::form::Form;
use crate::model::ProjectSpec;
use crate::validate::FileCheck;

/// A project has indicators, and one under every 一级 the form requires.
pub fn check(file: &mut FileCheck, spec: &ProjectSpec, form: &Form) {
    if spec.indicators.is_empty() {
        file.report(&rules::E0325, &spec.name, "这个项目还没有绩效指标")
            .set_hint("请按表样的一级、二级指标逐行填写绩效指标（至少一行）");
        return;
    }
    for level in &form.def.required_levels {
        if !spec.indicators.iter().any(|i| i.level1.value == *level) {
            file.report(&rules::E0326, &spec.name, format!("这个项目没有{level}：本表样要求至少填写一行"))
                .set_hint(format!("请在“{level}”下添加一行指标"));
        }
    }
}
