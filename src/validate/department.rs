//! Rules on `department.yaml`: the year matches its folder, the code is digits, every
//! text is printable, `allow` names exist.

use crate::diag::rules;
use crate::model::DepartmentSpec;
use crate::validate::{FileCheck, Glyphs, YearContext, lint_by_name, lints, text};

/// Checks the department file and returns what project rules need.
pub fn check(
    file: &mut FileCheck,
    spec: &DepartmentSpec,
    dir_year: Option<u32>,
    identity: &crate::form::identity::Identity,
    fonts: Option<&dyn Glyphs>,
) -> YearContext {
    if let Some(dir_year) = dir_year
        && spec.year.value != dir_year
    {
        file.report(
            &rules::E0301,
            &spec.year,
            format!("年度写的是 {}，但文件在 {dir_year} 年度目录中", spec.year.value),
        )
        .set_hint(format!("请改为 `year: {dir_year}`，或把文件移到 specs/{}/ 目录", spec.year.value));
    }
    let code = &spec.department.code;
    text::check(file, "code", code, identity.department_code, fonts);
    if !code.value.is_empty() && !code.value.chars().all(|c| c.is_ascii_digit()) {
        file.report(&rules::E0302, code, format!("部门编码“{}”应只含数字", code.value));
    }
    text::check(file, "name", &spec.department.name, true, fonts);
    match &spec.money_unit {
        Some(unit) => text::check(file, "money_unit", unit, true, fonts),
        None => {
            file.report(&lints::MISSING_MONEY_UNIT, &spec.year, "没有写本年度的金额单位（money_unit）")
                .set_hint("请在 department.yaml 中添加一行 `money_unit: 万元`；表头“单位：”将是空的");
        }
    }
    if let Some(date) = &spec.date {
        text::check(file, "date", date, true, fonts);
        let full = crate::value::parse_date(&date.value).is_some_and(|(_, m, d)| m.is_some() && d.is_some());
        if !date.value.is_empty() && !full {
            file.report(&rules::E0323, date, format!("编制日期“{}”不是完整的日期", date.value.as_str()))
                .set_hint("请写年、月、日，如 `date: 2024-01-15` 或 `date: 2024年1月15日`");
        }
    }
    if let Some(form_name) = &spec.form {
        text::check(file, "form", form_name, true, None);
    }
    if let Some(cover) = &spec.cover {
        for (key, value) in [("title", &cover.title), ("compiled_by", &cover.compiled_by)] {
            if let Some(value) = value {
                text::check(file, key, value, true, fonts);
            }
        }
    }
    if let Some(h) = &spec.headings {
        for (key, value) in
            [("goals", &h.goals), ("tasks", &h.tasks), ("summary", &h.summary), ("projects", &h.projects)]
        {
            if let Some(value) = value {
                text::check(file, key, value, true, fonts);
            }
        }
    }
    let n = &spec.narrative;
    text::check(file, "intro", &n.intro, identity.intro, fonts);
    for goal in &n.goals {
        text::check(file, "title", &goal.title, true, fonts);
        text::check(file, "goal", &goal.goal, true, fonts);
        text::check(file, "indicator", &goal.indicator, true, fonts);
    }
    for task in &n.tasks {
        text::check(file, "tasks", task, true, fonts);
    }
    check_allow(file, &spec.allow);
    YearContext {
        year: spec.year.value,
        department_code: code.value.clone(),
        money_unit: spec.money_unit.as_ref().map(|u| u.value.clone()),
    }
}

/// Warns about `allow` entries that name no lint.
pub fn check_allow(file: &mut FileCheck, allow: &[crate::model::Text]) {
    for name in allow {
        if lint_by_name(&name.value).is_none() {
            let names: Vec<&str> = crate::validate::rules().iter().map(|r| r.name).filter(|n| !n.is_empty()).collect();
            let d = file.report(&rules::W0902, name, format!("没有名为“{}”的提示", name.value));
            match crate::suggest::closest(&name.value, names.iter().copied()) {
                Some(best) => d.hint = Some(format!("您是不是想写 `{best}`？")),
                None => d.hint = Some(format!("可用的名称：{}", names.join("、"))),
            }
        }
    }
}
