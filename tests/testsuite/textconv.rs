//! `jixiao textconv`: a spec as stable text, and `git diff` through it.

use std::fs;

use crate::common::*;

#[test]
fn a_project_as_text() {
    let output = jixiao(&["textconv", "specs/2024/projects/131003004.yaml"]);
    assert!(output.status.success());
    insta::assert_snapshot!("textconv_131003004", String::from_utf8(output.stdout).unwrap());
}

#[test]
fn the_department_as_text_and_anything_else_as_it_is() {
    let output = jixiao(&["textconv", "specs/2024/department.yaml"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("预算年度：2024\n部门编码：131003\n"), "{text}");
    assert!(text.contains("重点工作 5："), "{text}");
    let scratch = tempfile::tempdir().unwrap();
    let broken = scratch.path().join("broken.yaml");
    fs::write(&broken, "name: [不完整\n").unwrap();
    let output = jixiao(&["textconv", broken.to_str().unwrap()]);
    assert!(output.status.success(), "a diff never fails because of textconv");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "name: [不完整\n");
}

#[cfg(unix)]
#[test]
fn git_diff_shows_what_changed_in_the_content() {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    let projects = root.join("specs/2024/projects");
    fs::create_dir_all(&projects).unwrap();
    fs::copy(repo().join(".gitattributes"), root.join(".gitattributes")).unwrap();
    let spec = projects.join("131003004.yaml");
    fs::copy(repo().join("specs/2024/projects/131003004.yaml"), &spec).unwrap();
    std::os::unix::fs::symlink(repo().join("templates"), root.join("templates")).unwrap();
    git(root, &["init", "-q"]);
    git(root, &["config", "diff.jixiao.textconv", &format!("{} textconv", env!("CARGO_BIN_EXE_jixiao"))]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "批准的版本"]);
    // A comment and a re-quoted value change nothing; a value does.
    let text = fs::read_to_string(&spec).unwrap();
    let edited = format!("# 2025 年修订\n{}", text.replace("value: 1000 以上", "value: \"1200 以上\""));
    fs::write(&spec, edited).unwrap();
    let diff = git(root, &["diff"]);
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| (l.starts_with('+') || l.starts_with('-')) && !l.starts_with("+++") && !l.starts_with("---"))
        .collect();
    assert_eq!(changed, ["-  指标值：1000 以上", "+  指标值：1200 以上"], "{diff}");
}
