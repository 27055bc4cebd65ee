//! Inputs and outputs that are not regular files (named pipes, devices, links out of the
//! project, folders), and outputs aimed at the project's own inputs: every command reads
//! them through one bounded reader, never waits on them, never fills memory with them, and
//! never replaces them.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{FileTypeExt, symlink};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::text_of;
use crate::scratch::Project;

/// Runs jixiao in `root` under a 1 GB address-space limit, killed after 30 s: a command
/// that waits on a pipe or reads a device without bound fails here instead of hanging or
/// taking the machine's memory.
fn bounded(root: &Path, args: &[&str]) -> Output {
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -v 1500000; exec \"$0\" \"$@\"", env!("CARGO_BIN_EXE_jixiao")])
        .args(args)
        .current_dir(root)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jixiao starts");
    let started = Instant::now();
    while child.try_wait().expect("waitable").is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("jixiao {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().expect("mkfifo runs").success());
}

#[test]
fn a_pipe_or_a_device_link_named_yaml_stops_nothing() {
    let dir = Project::seed(&["131003001"]);
    let extra = dir.root().join("specs/2024/projects/131003009.yaml");
    mkfifo(&extra);
    for args in [&["build"][..], &["check"], &["schema", "--modelines"]] {
        let output = bounded(dir.root(), args);
        let text = text_of(&output);
        assert!(!output.status.success() && text.contains("命名管道"), "{args:?}: {text}");
    }
    let new_year = bounded(dir.root(), &["new-year", "2025"]);
    assert!(text_of(&new_year).contains("未复制"), "{}", text_of(&new_year));
    assert!(!dir.root().join("specs/2025/projects/131003009.yaml").exists());
    fs::remove_file(&extra).unwrap();
    fs::remove_dir_all(dir.root().join("specs/2025")).unwrap();
    // A committed link to a device: refused by name, without reading it.
    symlink("/dev/zero", &extra).unwrap();
    let output = bounded(dir.root(), &["build"]);
    assert!(matches!(output.status.code(), Some(1..=3)), "ended by itself: {}", text_of(&output));
    assert!(text_of(&output).contains("E0109"), "{}", text_of(&output));
}

#[test]
fn a_settings_file_or_textconv_input_that_is_a_pipe_is_refused() {
    let dir = Project::seed(&["131003001"]);
    mkfifo(&dir.root().join("jixiao.toml"));
    let output = bounded(dir.root(), &["check"]);
    assert_eq!(output.status.code(), Some(2), "{}", text_of(&output));
    assert!(text_of(&output).contains("jixiao.toml") && text_of(&output).contains("命名管道"), "{}", text_of(&output));
    fs::remove_file(dir.root().join("jixiao.toml")).unwrap();
    mkfifo(&dir.root().join("pipe.yaml"));
    let output = bounded(dir.root(), &["textconv", "pipe.yaml"]);
    assert!(text_of(&output).contains("命名管道"), "{}", text_of(&output));
}

#[test]
fn links_out_of_the_year_are_neither_rewritten_nor_copied() {
    let dir = Project::seed(&["131003001"]);
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.yaml");
    fs::write(&secret, "SECRET\n").unwrap();
    let link = dir.root().join("specs/2024/projects/131003009.yaml");
    symlink(&secret, &link).unwrap();
    bounded(dir.root(), &["schema", "--modelines"]);
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
    assert_eq!(fs::read_to_string(&secret).unwrap(), "SECRET\n");
    let output = bounded(dir.root(), &["new-year", "2025"]);
    assert!(output.status.success(), "{}", text_of(&output));
    assert!(!dir.root().join("specs/2025/projects/131003009.yaml").exists(), "{}", text_of(&output));
    // A link where the new year would go (even one whose target is gone) is left alone.
    fs::remove_dir_all(dir.root().join("specs/2025")).unwrap();
    symlink(outside.path().join("gone"), dir.root().join("specs/2026")).unwrap();
    let output = bounded(dir.root(), &["new-year", "2026"]);
    assert_eq!(output.status.code(), Some(2), "{}", text_of(&output));
    assert!(fs::symlink_metadata(dir.root().join("specs/2026")).is_ok(), "the user's link is kept");
}

#[test]
fn an_output_that_is_a_pipe_or_a_folder_is_not_waited_on_or_replaced() {
    let dir = Project::seed(&["131003001"]);
    assert!(bounded(dir.root(), &["build", "-q"]).status.success());
    let out = dir.root().join("out/2024");
    let table = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("131003001"))
        .unwrap();
    fs::remove_file(&table).unwrap();
    mkfifo(&table);
    let output = bounded(dir.root(), &["build"]);
    assert!(!output.status.success() && text_of(&output).contains("命名管道"), "{}", text_of(&output));
    assert!(fs::symlink_metadata(&table).unwrap().file_type().is_fifo(), "the pipe is left as it was");
    // `diff --pdf` into a pipe: refused before typesetting.
    let review = dir.root().join("review.pdf");
    mkfifo(&review);
    crate::common::git(dir.root(), &["init", "-q"]);
    crate::common::git(dir.root(), &["add", "specs"]);
    crate::common::git(dir.root(), &["commit", "-qm", "seed"]);
    let spec = dir.root().join("specs/2024/projects/131003001.yaml");
    fs::write(&spec, fs::read_to_string(&spec).unwrap().replace("办件数据", "办件数量")).unwrap();
    let output = bounded(dir.root(), &["diff", "--pdf", "review.pdf"]);
    assert_eq!(output.status.code(), Some(2), "{}", text_of(&output));
    assert!(fs::symlink_metadata(&review).unwrap().file_type().is_fifo());
}

#[test]
fn diff_pdf_never_overwrites_a_spec() {
    let dir = Project::seed(&["131003001"]);
    crate::common::git(dir.root(), &["init", "-q"]);
    crate::common::git(dir.root(), &["add", "specs"]);
    crate::common::git(dir.root(), &["commit", "-qm", "seed"]);
    let spec = dir.root().join("specs/2024/projects/131003001.yaml");
    fs::write(&spec, fs::read_to_string(&spec).unwrap().replace("办件数据", "办件数量")).unwrap();
    let department = dir.root().join("specs/2024/department.yaml");
    let before = fs::read(&department).unwrap();
    let output = bounded(dir.root(), &["diff", "--pdf", "specs/2024/department.yaml"]);
    assert_eq!(output.status.code(), Some(2), "{}", text_of(&output));
    assert!(text_of(&output).contains("规格目录"), "{}", text_of(&output));
    assert_eq!(fs::read(&department).unwrap(), before);
    // Nor any other file that is not a PDF.
    fs::write(dir.root().join("notes.pdf"), "meeting notes").unwrap();
    let output = bounded(dir.root(), &["diff", "--pdf", "notes.pdf"]);
    assert_eq!(output.status.code(), Some(2), "{}", text_of(&output));
    assert_eq!(fs::read_to_string(dir.root().join("notes.pdf")).unwrap(), "meeting notes");
}

#[test]
fn the_output_folder_may_not_be_an_input_folder_or_hold_one() {
    let dir = Project::seed(&["131003001"]);
    for out in ["specs", "specs/2024", "templates/hebei-2024", "fonts", ".", "..", "/"] {
        fs::write(dir.root().join("jixiao.toml"), format!("out = \"{out}\"\n")).unwrap();
        let output = bounded(dir.root(), &["check"]);
        assert_eq!(output.status.code(), Some(2), "out = {out}: {}", text_of(&output));
        assert!(text_of(&output).contains("out ="), "{}", text_of(&output));
    }
    fs::remove_file(dir.root().join("jixiao.toml")).unwrap();
    let output = bounded(dir.root(), &["build", "--out", "specs/2024"]);
    assert_eq!(output.status.code(), Some(2), "{}", text_of(&output));
    assert!(
        !dir.root().join("specs/2024/2024").exists()
            && fs::read_dir(dir.root().join("specs/2024")).unwrap().count() == 2
    );
    // A folder of its own is fine, inside the project (jixiao.toml) or anywhere (--out).
    fs::write(dir.root().join("jixiao.toml"), "out = \"pdf\"\n").unwrap();
    assert!(bounded(dir.root(), &["build", "-q"]).status.success());
    assert!(dir.root().join("pdf/2024").is_dir());
}
