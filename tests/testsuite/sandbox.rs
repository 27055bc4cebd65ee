//! The Typst compiler sees only the form's folder: templates that try to read other
//! files, import packages or escape through `..` or a symlink fail with a clear message.

use std::fs;
use std::path::Path;

use crate::common::*;

/// A project root whose form `evil` is the seed's form with `line` added to the project
/// template; returns the combined output of `build` and its exit code.
fn build_with_template_line(line: &str, setup: impl Fn(&Path)) -> (String, Option<i32>) {
    let root = tempfile::tempdir().unwrap();
    let form = copy_seed_form(root.path(), "evil");
    let template = form.join("project.typ.j2");
    let text = fs::read_to_string(&template).unwrap();
    fs::write(&template, format!("{text}\n{line}\n")).unwrap();
    setup(&form);
    let year = root.path().join("specs/2024");
    fs::create_dir_all(year.join("projects")).unwrap();
    let department = fs::read_to_string(repo().join("tests/fixtures/rules/ok-clean/2024/department.yaml")).unwrap();
    fs::write(year.join("department.yaml"), format!("form: evil\n{department}")).unwrap();
    fs::copy(
        repo().join("tests/fixtures/rules/ok-clean/2024/projects/131003001.yaml"),
        year.join("projects/131003001.yaml"),
    )
    .unwrap();
    let output = jixiao_in(root.path(), &["build"]);
    (text_of(&output), output.status.code())
}

/// A readable file outside the form folder, planted next to the project.
fn plant_secret(root: &Path) {
    fs::write(root.join("secret.txt"), "secret-content").unwrap();
}

#[test]
fn reading_an_absolute_path_stays_inside_the_form() {
    let secret = tempfile::NamedTempFile::new().unwrap();
    fs::write(secret.path(), "secret-content").unwrap();
    let (log, code) = build_with_template_line(&format!("#read({:?})", secret.path().to_str().unwrap()), |_| {});
    assert_eq!(code, Some(1), "{log}");
    // An absolute path in Typst is relative to the form folder, where there is no such file.
    assert!(log.contains("E0401") && log.contains("表样目录中没有文件"), "{log}");
    assert!(!log.contains("secret-content"), "nothing of the file leaks: {log}");
}

#[test]
fn parent_paths_cannot_escape() {
    // The planted file exists and is readable: only the sandbox keeps it out.
    let (log, code) = build_with_template_line(r#"#read("../../secret.txt")"#, |form| {
        plant_secret(form.parent().unwrap().parent().unwrap());
        assert!(form.join("../../secret.txt").exists());
    });
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("E0401") && log.contains("拒绝读取表样目录以外的文件"), "{log}");
    assert!(!log.contains("secret-content"), "{log}");
}

#[test]
fn packages_are_refused() {
    let (log, code) = build_with_template_line(r#"#import "@preview/cetz:0.3.0": *"#, |_| {});
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("不允许使用 Typst 包"), "{log}");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_form_are_refused() {
    let secret = tempfile::NamedTempFile::new().unwrap();
    fs::write(secret.path(), "secret-content").unwrap();
    let target = secret.path().to_path_buf();
    let (log, code) = build_with_template_line(r#"#read("leak.txt")"#, move |form| {
        std::os::unix::fs::symlink(&target, form.join("leak.txt")).unwrap();
    });
    assert_eq!(code, Some(1), "{log}");
    // Refused when the form is loaded, before anything is typeset.
    assert!(log.contains("E0202") && log.contains("leak.txt") && log.contains("已拒绝读取"), "{log}");
    assert!(!log.contains("secret-content"), "{log}");
}

#[test]
fn files_inside_the_form_are_readable() {
    let (log, code) = build_with_template_line(r#"#read("form.yaml")"#, |_| {});
    assert_eq!(code, Some(0), "a form may use its own files: {log}");
}
