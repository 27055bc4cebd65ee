//! `jixiao diff`: temporary git repositories with several commits of the seed's specs,
//! compared as a budget officer reads them (JSON snapshot, the text views, exit codes,
//! the change-marked PDF), and two years after `new-year`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::common::*;
use crate::scratch::Project;

/// A repository holding the seed's `specs/2024` (committed as "批准的版本"), with the
/// project's templates and fonts linked in.
fn review_repo() -> (Project, PathBuf) {
    let scratch = Project::seed(&SEED_CODES);
    let root = scratch.root().to_path_buf();
    git(&root, &["init", "-q"]);
    git(&root, &["add", "."]);
    git(&root, &["commit", "-q", "-m", "批准的版本"]);
    (scratch, root)
}

/// `jixiao -C root args…`.
fn project(root: &Path, code: &str) -> PathBuf {
    root.join(format!("specs/2024/projects/{code}.yaml"))
}

/// Replaces `from` (which must be there, once) by `to` in a file.
fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} once in {}", path.display());
    fs::write(path, text.replace(from, to)).unwrap();
}

/// The indicator block (`  - level1: …` up to the next one) whose `name:` is `name`.
fn indicator_block(text: &str, name: &str) -> String {
    let start = text.find("indicators:\n").unwrap() + "indicators:\n".len();
    let body = &text[start..];
    let mut blocks: Vec<&str> = Vec::new();
    let mut rest = body;
    while let Some(next) = rest[1..].find("\n  - level1:").map(|i| i + 2) {
        blocks.push(&rest[..next]);
        rest = &rest[next..];
    }
    blocks.push(rest);
    blocks.into_iter().find(|b| b.contains(&format!("    name: {name}\n"))).unwrap().to_string()
}

/// Every kind of change a reviewer meets, committed on top of the approved version.
fn commit_revision(root: &Path) {
    let p1 = project(root, "131003001");
    edit(&p1, "value: 25 万元", "value: 30 万元");
    edit(&p1, "value: 98%以上", "value: 95%以上");
    let p2 = project(root, "131003002");
    edit(&p2, "value: 20 次以上", "value: 25 次以上");
    let text = fs::read_to_string(&p2).unwrap();
    let added = "  - level1: 产出指标\n    level2: 数量指标\n    name: 培训场次\n    description: 组织交易主体培训\n    value: 4 场\n    basis: 年度计划\n";
    fs::write(&p2, text.replacen("  - level1:", &format!("{added}  - level1:"), 1)).unwrap();
    let p3 = project(root, "131003003");
    let text = fs::read_to_string(&p3).unwrap();
    fs::write(&p3, text.replace(&indicator_block(&text, "正向信息"), "")).unwrap();
    let p4 = project(root, "131003004");
    edit(&p4, "  6: 50\n", "  6: 40\n");
    let p5 = project(root, "131003005");
    edit(&p5, "    level2: 质量指标\n    name: 项目完成情况", "    level2: 时效指标\n    name: 项目完成情况");
    edit(&project(root, "131003006"), "name: 公共资源交易中心升级改造", "name: 公共资源交易中心升级改造（二期）");
    let new_project = fs::read_to_string(project(root, "131003007"))
        .unwrap()
        .replace("code: \"131003007\"", "code: \"131003009\"")
        .replace("name: 政务服务新大厅物业管理费用（含保安）", "name: 政务服务大厅智能化改造");
    fs::write(project(root, "131003009"), new_project).unwrap();
    fs::remove_file(project(root, "131003008")).unwrap();
    edit(&root.join("specs/2024/department.yaml"), "提高政府采购资金节约率，", "提高政府采购资金节约率和使用效益，");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "修订"]);
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text_of(output)))
}

fn find<'a>(items: &'a Value, key: &str, value: &str) -> &'a Value {
    items.as_array().unwrap().iter().find(|i| i[key] == value).unwrap_or_else(|| panic!("{key} = {value} in {items}"))
}

#[cfg(unix)]
#[test]
fn a_revision_diff_says_what_changed_and_how_much() {
    let (_scratch, root) = review_repo();
    let unchanged = jixiao_in(&root, &["diff"]);
    assert_eq!(unchanged.status.code(), Some(0), "{}", text_of(&unchanged));
    assert!(text_of(&unchanged).contains("没有变化"), "{}", text_of(&unchanged));
    commit_revision(&root);

    let output = jixiao_in(&root, &["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "changed: exit code 1\n{}", text_of(&output));
    let diff = json(&output);
    // The JSON as printed is the documented format: a change to it shows here.
    insta::assert_snapshot!("diff_revision", String::from_utf8(output.stdout.clone()).unwrap());

    let year = &diff["years"][0];
    assert_eq!(year["total"]["old"], "896");
    assert_eq!(year["total"]["new"], "766");
    assert_eq!(year["total"]["delta"]["text"], "−130 万元");
    let projects = &year["projects"];
    let p1 = find(projects, "code", "131003001");
    let value_of = |project: &Value, name: &str| find(&project["indicators"], "name", name)["fields"].clone();
    assert_eq!(find(&value_of(p1, "财政保障经费"), "field", "value")["delta"]["text"], "+5 万元");
    assert_eq!(find(&value_of(p1, "办事群众满意度"), "field", "value")["delta"]["text"], "−3 个百分点");
    assert_eq!(p1["amount"]["delta"]["text"], "+5 万元");
    let p2 = find(projects, "code", "131003002");
    assert_eq!(find(&value_of(p2, "服务次数"), "field", "value")["delta"]["text"], "+5 次", "{p2}");
    assert_eq!(find(&p2["indicators"], "name", "培训场次")["status"], "added");
    let p3 = find(projects, "code", "131003003");
    assert_eq!(find(&p3["indicators"], "name", "正向信息")["status"], "removed");
    let p4 = find(projects, "code", "131003004");
    let plan = find(&p4["fields"], "field", "spending_plan.6");
    assert_eq!((plan["old"].as_str(), plan["new"].as_str()), (Some("50%"), Some("40%")));
    assert_eq!(plan["delta"]["text"], "−10 个百分点");
    let moved = find(&find(projects, "code", "131003005")["indicators"], "name", "项目完成情况");
    assert_eq!((moved["status"].as_str(), moved["old_level2"].as_str()), (Some("moved"), Some("质量指标")));
    assert_eq!(moved["level2"], "时效指标");
    let renamed = find(projects, "code", "131003006");
    assert_eq!(renamed["old_name"], "公共资源交易中心升级改造");
    assert_eq!(find(projects, "code", "131003008")["status"], "removed");
    assert_eq!(find(projects, "code", "131003009")["status"], "added");
    // The narrative: the inserted words only, with a little context, not the paragraph.
    let intro = find(&year["fields"], "field", "narrative.intro");
    let segments = intro["text_diff"].as_array().unwrap();
    let changed: Vec<(&str, &str)> = segments
        .iter()
        .filter(|s| s["op"] != "equal")
        .map(|s| (s["op"].as_str().unwrap(), s["text"].as_str().unwrap()))
        .collect();
    assert_eq!(changed, [("insert", "和使用效益")]);
    assert!(segments.iter().all(|s| s["text"].as_str().unwrap().chars().count() <= 30), "{segments:?}");

    // The same against the (clean) working tree; the text views say the same things.
    let working = jixiao_in(&root, &["diff", "HEAD~1", "--format", "json"]);
    assert_eq!(json(&working)["years"], diff["years"]);
    let text = String::from_utf8(jixiao_in(&root, &["diff", "HEAD~1"]).stdout).unwrap();
    for line in [
        "部门预算合计：896 万元 → 766 万元（−130 万元）",
        "指标值：25 万元 → 30 万元（+5 万元）",
        "指标值：98%以上 → 95%以上（−3 个百分点）",
        "指标值：20 次以上 → 25 次以上（+5 次）",
        "资金支出计划 6 月底：50% → 40%（−10 个百分点）",
        "+ 新增指标 产出指标 › 数量指标 › 培训场次（指标值：4 场）",
        "- 删除指标 产出指标 › 质量指标 › 正向信息（指标值：100%）",
        "移动指标 项目完成情况：产出指标 › 质量指标 → 产出指标 › 时效指标",
        "修改项目 131003006 公共资源交易中心升级改造（二期）（改名，原名：公共资源交易中心升级改造）",
        "+ 新增项目 131003009 政务服务大厅智能化改造",
        "- 删除项目 131003008 劳务派遣人员工资",
        "提高政府采购资金节约率{+和使用效益+}，",
        "共 8 个项目有变化（新增 1，删除 1，修改 6），部门文件 1 处变化。",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
    let coloured = String::from_utf8(jixiao_in(&root, &["diff", "HEAD~1", "--color", "always"]).stdout).unwrap();
    assert!(coloured.contains("\x1b[31m25 万元\x1b[0m → \x1b[32m30 万元\x1b[0m"), "{coloured}");
    let markdown = String::from_utf8(jixiao_in(&root, &["diff", "HEAD~1", "--format", "md"]).stdout).unwrap();
    assert!(markdown.starts_with("# 比较 HEAD\\~1 → 工作区\n"), "{markdown}");
    assert!(markdown.contains("\n### 修改项目 131003001 政务服务中心工作\n"), "{markdown}");
    assert!(markdown.contains("- 预算金额：~~25 万元~~ → **30 万元**（+5 万元）"), "{markdown}");
}

#[cfg(unix)]
#[test]
fn the_change_marked_report_lists_and_marks_every_change() {
    let (_scratch, root) = review_repo();
    commit_revision(&root);
    let file = root.join("评审.pdf");
    let output = jixiao_in(&root, &["diff", "HEAD~1", "--pdf", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", text_of(&output));
    assert!(text_of(&output).contains("已生成标出变化的合订本"), "{}", text_of(&output));
    // One page of changes before the report as `build` makes it.
    let plain = root.join("out-plain");
    let built = jixiao_in(&root, &["build", "specs/2024", "-q", "-o", plain.to_str().unwrap()]);
    assert!(built.status.success(), "{}", text_of(&built));
    let report = pdfs(&plain.join("2024")).into_iter().find(|p| p.to_string_lossy().contains("年度绩效目标")).unwrap();
    assert_eq!(pdf_pages(&file), pdf_pages(&report) + 1);
    let pages = pdf_page_texts(&file);
    let changes = squeeze(&pages[0]);
    for expected in [
        "规格变化清单",
        "HEAD~1→工作区",
        "部门预算合计：896万元→766万元（−130万元）",
        "指标值：25万元→30万元（+5万元）",
        "指标值：98%以上→95%以上（−3个百分点）",
        "新增指标产出指标›数量指标›培训场次",
        "删除指标产出指标›质量指标›正向信息",
        "删除项目131003008劳务派遣人员工资",
        "共8个项目有变化",
    ] {
        assert!(changes.contains(expected), "{expected} on the page of changes:\n{changes}");
    }
    // The tables show the new values with the old ones in small print beside them.
    let all = squeeze(&pages.join("\n"));
    assert!(all.contains("30万元原：25万元"), "{all}");
    assert!(all.contains("95%以上原：98%以上"), "{all}");
    assert!(all.contains("项目完成情况原：产出指标›质量指标"), "{all}");
    assert!(all.contains("766原：896"), "the summary's total with its old value:\n{all}");
    // Nothing under out/ was touched.
    assert!(!root.join("out").exists());
}

#[cfg(unix)]
#[test]
fn a_project_under_a_new_code_is_found_by_its_content() {
    let (_scratch, root) = review_repo();
    let old = project(&root, "131003007");
    let text = fs::read_to_string(&old).unwrap().replace("\"131003007\"", "\"131003010\"");
    fs::remove_file(&old).unwrap();
    fs::write(project(&root, "131003010"), text.replace("value: 40 万", "value: 45 万")).unwrap();
    let plain = json(&jixiao_in(&root, &["diff", "--format", "json"]));
    let statuses: Vec<&str> =
        plain["years"][0]["projects"].as_array().unwrap().iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["removed", "added"]);
    let found = json(&jixiao_in(&root, &["diff", "--find-renames", "--format", "json"]));
    let projects = found["years"][0]["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 1, "{projects:?}");
    assert_eq!(
        (projects[0]["code"].as_str(), projects[0]["old_code"].as_str()),
        (Some("131003010"), Some("131003007"))
    );
    assert_eq!(projects[0]["amount"]["delta"]["text"], "+5 万元");
    // Below the threshold, they stay apart.
    let strict = json(&jixiao_in(&root, &["diff", "--find-renames=100", "--format", "json"]));
    assert_eq!(strict["years"][0]["projects"].as_array().unwrap().len(), 2);
}

#[cfg(unix)]
#[test]
fn what_cannot_be_compared_says_why_with_exit_code_2() {
    let (_scratch, root) = review_repo();
    let unknown = jixiao_in(&root, &["diff", "没有这个版本"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text_of(&unknown).contains("git 仓库中没有“没有这个版本”这个版本"), "{}", text_of(&unknown));
    edit(&project(&root, "131003002"), "value: 20 次以上", "value: 120%");
    let invalid = jixiao_in(&root, &["diff"]);
    assert_eq!(invalid.status.code(), Some(2), "{}", text_of(&invalid));
    let text = text_of(&invalid);
    assert!(text.contains("工作区 的 specs/2024 有错误，无法比较"), "{text}");
    assert!(text.contains("specs/2024/projects/131003002.yaml:16:12"), "{text}");
    let outside = tempfile::tempdir().unwrap();
    fs::create_dir_all(outside.path().join("specs")).unwrap();
    let no_repo = jixiao_in(outside.path(), &["diff"]);
    assert_eq!(no_repo.status.code(), Some(2));
    assert!(text_of(&no_repo).contains("不在 git 仓库中"), "{}", text_of(&no_repo));
    let no_year = jixiao_in(&root, &["diff", "--years", "2024", "2031"]);
    assert_eq!(no_year.status.code(), Some(2));
    assert!(text_of(&no_year).contains("jixiao new-year 2031"), "{}", text_of(&no_year));
}

#[test]
fn the_next_year_differs_by_exactly_the_replacements_of_new_year() {
    let project = Project::seed(&SEED_CODES);
    let year = project.year();
    let root = year.parent().unwrap().to_path_buf();
    let specs = root.join("specs");
    fs::create_dir_all(&specs).unwrap();
    fs::rename(&year, specs.join("2024")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(repo().join("templates"), root.join("templates")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(repo().join("fonts"), root.join("fonts")).unwrap();
    let rolled = jixiao_in(&root, &["new-year", "2025"]);
    assert!(rolled.status.success(), "{}", text_of(&rolled));
    let replacements: Vec<(String, String)> = String::from_utf8(rolled.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("待核对"))
        .filter_map(|l| l.split_once('：').and_then(|(_, r)| r.split_once(" → ")))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(replacements.len(), 9, "the year and eight bases: {replacements:?}");
    let output = jixiao_in(&root, &["diff", "--years", "2024", "2025", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let diff = json(&output);
    let year = &diff["years"][0];
    assert_eq!((year["year"]["old"].as_u64(), year["year"]["new"].as_u64()), (Some(2024), Some(2025)));
    assert!(year["total"]["delta"]["text"] == "+0 万元", "amounts are copied as they are: {}", year["total"]);
    let mut changes: Vec<(String, String)> = Vec::new();
    let mut collect = |fields: &Value| {
        for f in fields.as_array().unwrap() {
            changes.push((f["old"].as_str().unwrap().to_string(), f["new"].as_str().unwrap().to_string()));
        }
    };
    collect(&year["fields"]);
    for project in year["projects"].as_array().unwrap() {
        assert_eq!(project["status"], "changed");
        collect(&project["fields"]);
        for indicator in project["indicators"].as_array().unwrap() {
            assert_eq!(indicator["status"], "changed");
            collect(&indicator["fields"]);
        }
    }
    let mut expected = replacements.clone();
    expected.sort();
    changes.sort();
    assert_eq!(changes, expected);
}

#[test]
fn a_damaged_repository_is_an_error_not_a_new_year() {
    let project = Project::seed(&["131003001"]);
    let root = project.root();
    git(root, &["init", "-q"]);
    git(root, &["add", "specs"]);
    git(root, &["commit", "-qm", "seed"]);
    // The year's tree object is gone (a damaged repository, an offline partial clone).
    let tree = git(root, &["rev-parse", "HEAD:specs/2024"]).trim().to_string();
    fs::remove_file(root.join(".git/objects").join(&tree[..2]).join(&tree[2..])).unwrap();
    let output = jixiao_in(root, &["diff", "HEAD"]);
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(2), "cannot compare: {text}");
    assert!(text.contains("git 读取仓库失败") && !text.contains("新增"), "{text}");
}
