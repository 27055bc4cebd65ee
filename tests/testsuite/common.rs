//! Helpers shared by the integration tests: run the real binary, read PDFs back.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where specs/, templates/ and fonts/ are).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `jixiao` with `args` in the repository root.
pub fn jixiao(args: &[&str]) -> Output {
    jixiao_in(&repo(), args)
}

/// stdout and stderr of a run, as text.
pub fn text_of(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// Builds `specs/2024` into `out` and asserts success.
pub fn build_2024(out: &Path) {
    let output = jixiao(&["build", "specs/2024", "--quiet", "--out", out.to_str().expect("utf-8 path")]);
    assert!(output.status.success(), "build failed:\n{}", text_of(&output));
}

/// The PDFs in a folder, sorted by name.
pub fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("output folder exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    files
}

/// The text of every page of a PDF (decoded through the fonts' ToUnicode maps).
pub fn pdf_text(path: &Path) -> String {
    let doc = lopdf::Document::load(path).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text extraction")
}

/// The text of each page of a PDF, in page order.
pub fn pdf_page_texts(path: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(path).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    pages.iter().map(|&p| doc.extract_text(&[p]).expect("text extraction")).collect()
}

/// The number of pages of a PDF.
pub fn pdf_pages(path: &Path) -> usize {
    lopdf::Document::load(path).expect("a readable PDF").get_pages().len()
}

/// Text without any whitespace: table cells wrap lines wherever the width ends, so
/// comparisons ignore whitespace (and only whitespace).
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every scalar string in a YAML file except keys, comments and numbers of the spending
/// plan: what must appear in the PDF.
pub fn yaml_strings(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("spec readable");
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(": ").map(|(_, v)| v.trim()))
        .map(|v| v.trim_start_matches("- ").trim_matches('"').to_string())
        .chain(
            text.lines()
                .filter_map(|l| l.trim_start().strip_prefix("- ").filter(|v| !v.contains(": ")).map(str::to_string)),
        )
        .filter(|v| !v.is_empty())
        .collect()
}

/// The seed's eight project codes.
pub const SEED_CODES: [&str; 8] =
    ["131003001", "131003002", "131003003", "131003004", "131003005", "131003006", "131003007", "131003008"];

/// A copy of the seed's form `templates/hebei-2024` as `<root>/templates/<name>`, every
/// template it inherits copied in as its own (to be edited), and `<root>/fonts` linked to
/// the committed fonts; returns the form's folder.
pub fn copy_seed_form(root: &Path, name: &str) -> PathBuf {
    let form = root.join("templates").join(name);
    copy_tree(&repo().join("templates/shared"), &form);
    copy_tree(&repo().join("templates/hebei-2024"), &form);
    let definition = form.join("form.yaml");
    let text = std::fs::read_to_string(&definition).expect("form.yaml");
    std::fs::write(&definition, text.replace("\nextends: shared\n", "\n")).expect("form.yaml written");
    #[cfg(unix)]
    std::os::unix::fs::symlink(repo().join("fonts"), root.join("fonts")).expect("fonts linked");
    form
}

/// Copies a folder and everything in it.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder made");
    for entry in std::fs::read_dir(from).expect("folder readable") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("file name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("file copied");
        }
    }
}

/// A typesetter with the committed fonts only, as `build` makes it by default.
pub fn typesetter() -> jixiao::typeset::Typesetter {
    use jixiao::typeset::fonts::{FontOptions, Fonts};
    jixiao::typeset::Typesetter::new(Fonts::load(&FontOptions {
        project_dir: repo().join("fonts"),
        ..FontOptions::default()
    }))
}

/// Runs `git` in `dir` (with a test identity) and asserts it succeeded; its output.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(["-c", "user.name=测试", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main"])
        .args(["-c", "core.quotepath=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("git prints UTF-8")
}

/// Runs `jixiao` with `args` in `root` (without `SOURCE_DATE_EPOCH` or font paths from the
/// environment).
pub fn jixiao_in(root: &Path, args: &[&str]) -> Output {
    jixiao_with(root, args, &[])
}

/// Like [`jixiao_in`], with environment variables set.
pub fn jixiao_with(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(root)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("JIXIAO_FONT_PATHS")
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .output()
        .expect("the jixiao binary runs")
}
