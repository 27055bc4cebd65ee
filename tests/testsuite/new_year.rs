//! `jixiao new-year`: next year's specs, edited in place, every change listed.

use std::fs;

use crate::common::*;
use crate::scratch::Project;

#[cfg(unix)]
#[test]
fn next_year_moves_the_budget_year_and_keeps_everything_else() {
    let scratch = Project::seed(&SEED_CODES);
    let root = scratch.root();
    let year = scratch.year();
    // A comment (not data: kept as it is) and a year that is history (listed, kept).
    let spec = year.join("projects/131003001.yaml");
    let text = fs::read_to_string(&spec).unwrap();
    let text = format!("# 2024 年编制\n{}", text.replace("purpose: ", "purpose: 自 2019 年以来，"));
    fs::write(&spec, &text).unwrap();
    let run = |args: &[&str]| scratch.run(args);

    let output = run(&["new-year", "2025"]);
    let log = text_of(&output);
    assert!(output.status.success(), "{log}");
    let new = fs::read_to_string(root.join("specs/2025/projects/131003001.yaml")).unwrap();
    let expected = text.replace("2024 年度预算", "2025 年度预算").replace("basis: 2024 年", "basis: 2025 年");
    assert_eq!(new, expected, "only the budget year changed, comments and all else byte for byte");
    assert!(new.starts_with("# 2024 年编制\n"), "comments are not data");
    assert!(log.contains("specs/2025/projects/131003001.yaml:36：2024 年度预算 → 2025 年度预算"), "{log}");
    assert!(log.contains("保留“自 2019 年以来"), "the history year is listed: {log}");
    assert!(log.contains("待核对") && log.contains("财政保障经费 25 万元"), "{log}");
    let department = fs::read_to_string(root.join("specs/2025/department.yaml")).unwrap();
    assert_eq!(
        department,
        fs::read_to_string(year.join("department.yaml")).unwrap().replace("year: 2024", "year: 2025")
    );

    // The new year checks as the old one does: no new errors, the same warnings.
    let check = |dir: &str| text_of(&run(&["check", dir, "-q"])).lines().last().unwrap_or_default().to_string();
    assert!(check("specs/2025").starts_with("检查完毕：0 个错误"), "{}", check("specs/2025"));
    assert_eq!(check("specs/2025"), check("specs/2024"));
    let warnings = |dir: &str| text_of(&run(&["check", dir, "--message-format", "short"])).matches("警告[").count();
    assert_eq!(warnings("specs/2025"), warnings("specs/2024"));

    // A year is never overwritten.
    fs::write(root.join("specs/2025/projects/131003002.yaml"), "edited by hand").unwrap();
    let again = run(&["new-year", "2025"]);
    assert_eq!(again.status.code(), Some(2), "{}", text_of(&again));
    assert!(text_of(&again).contains("已经存在"), "{}", text_of(&again));
    assert_eq!(fs::read_to_string(root.join("specs/2025/projects/131003002.yaml")).unwrap(), "edited by hand");
}
