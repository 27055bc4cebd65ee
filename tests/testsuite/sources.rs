//! Specs load from the working tree, a git revision or memory, with the same
//! diagnostics, positions pointing into that source's text.

use std::fs;
use std::path::PathBuf;

use jixiao::diag::Format;
use jixiao::pipeline::{prepare, prepare_from};
use jixiao::spec::source::Memory;
use jixiao::workspace::Workspace;

use crate::common::*;

/// A project in a new git repository with the seed's department and three projects,
/// committed; returns its folder.
fn repository() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    let year = root.join("specs/2024");
    fs::create_dir_all(year.join("projects")).unwrap();
    fs::copy(repo().join("specs/2024/department.yaml"), year.join("department.yaml")).unwrap();
    for code in ["131003001", "131003003", "131003004"] {
        let name = format!("projects/{code}.yaml");
        fs::copy(repo().join("specs/2024").join(&name), year.join(&name)).unwrap();
    }
    #[cfg(unix)]
    for shared in ["templates", "fonts"] {
        std::os::unix::fs::symlink(repo().join(shared), root.join(shared)).unwrap();
    }
    let _ = git(&root, &["init", "-q"]);
    let _ = git(&root, &["add", "specs"]);
    let _ = git(&root, &["commit", "-q", "-m", "批准的版本"]);
    (dir, root)
}

#[cfg(unix)]
#[test]
fn a_revision_is_checked_as_its_own_checkout_would_be() {
    let (dir, root) = repository();
    // The working tree moves on: lines added above the problems, and a new error.
    let spec = root.join("specs/2024/projects/131003001.yaml");
    fs::write(&spec, format!("# 修改中\n# 第二行\n{}", fs::read_to_string(&spec).unwrap())).unwrap();
    let broken = root.join("specs/2024/projects/131003003.yaml");
    fs::write(&broken, fs::read_to_string(&broken).unwrap().replace("  6: 50", "  6: 5")).unwrap();
    let working = jixiao_in(&root, &["check", "--message-format", "short"]);
    assert_eq!(working.status.code(), Some(1), "the working tree has an error");

    let at_head = jixiao_in(&root, &["check", "--rev", "HEAD", "--message-format", "short"]);
    assert_eq!(at_head.status.code(), Some(0), "{}", text_of(&at_head));
    // A clean checkout of HEAD, checked as files, says exactly the same.
    let checkout = dir.path().join("checkout");
    let _ = git(dir.path(), &["clone", "-q", root.to_str().unwrap(), checkout.to_str().unwrap()]);
    for shared in ["templates", "fonts"] {
        std::os::unix::fs::symlink(repo().join(shared), checkout.join(shared)).unwrap();
    }
    let clean = jixiao_in(&checkout, &["check", "--message-format", "short"]);
    let lines = |output: &std::process::Output| -> Vec<String> {
        let mut lines: Vec<String> =
            text_of(output).lines().filter(|l| l.contains("[W") || l.contains("[E")).map(str::to_string).collect();
        lines.sort();
        lines
    };
    assert!(lines(&clean).len() >= 8, "{}", text_of(&clean));
    assert_eq!(lines(&at_head), lines(&clean), "same problems at the same file:line:col");
    // The rich format quotes the revision's lines, not the working tree's.
    let rich = jixiao_in(&root, &["check", "--rev", "HEAD", "specs/2024"]);
    assert!(!text_of(&rich).contains("# 修改中"), "{}", text_of(&rich));
}

#[test]
fn outside_a_repository_or_for_an_unknown_revision_a_clear_message() {
    let outside = tempfile::tempdir().unwrap();
    let output = jixiao_in(outside.path(), &["check", "--rev", "HEAD"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text_of(&output).contains("不在 git 仓库中"), "{}", text_of(&output));
    let (_dir, root) = repository();
    let output = jixiao_in(&root, &["check", "--rev", "no-such-tag"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text_of(&output).contains("没有“no-such-tag”这个版本"), "{}", text_of(&output));
}

#[test]
fn specs_held_in_memory_give_the_same_diagnostics() {
    let workspace = Workspace::at(&repo());
    let year = repo().join("specs/2024");
    let typesetter = typesetter();
    let disk = prepare(&workspace, &year, &typesetter);
    let mut memory = Memory::default();
    memory.files.insert(year.join("department.yaml"), fs::read_to_string(year.join("department.yaml")).unwrap());
    for code in SEED_CODES {
        let path = year.join(format!("projects/{code}.yaml"));
        memory.files.insert(path.clone(), fs::read_to_string(&path).unwrap());
    }
    let held = prepare_from(&memory, &workspace, &year, Some(typesetter.fonts()), None);
    let render = |p: &jixiao::pipeline::Prepared| p.sources.render(&p.checked.diagnostics, Format::Short);
    assert_eq!(render(&held), render(&disk));
    assert_eq!(held.checked.diagnostics.len(), 31, "the seed's 31 warnings");
    assert_eq!(held.files.projects.len(), 8);
}

/// Built into memory, the seed gives the committed PDFs byte for byte, and nothing is
/// read from or written to the output folder.
#[test]
fn documents_built_into_memory_are_the_committed_bytes() {
    use jixiao::pipeline::{BuildOptions, MemorySink, Sink, build_years};
    let scratch = tempfile::tempdir().unwrap();
    let mut workspace = Workspace::at(&repo());
    workspace.out = scratch.path().join("out");
    let typesetter = typesetter();
    let prepared = vec![prepare(&workspace, &repo().join("specs/2024"), &typesetter)];
    let memory = MemorySink::default();
    let options = BuildOptions { sink: Sink::Memory(memory.clone()), ..BuildOptions::default() };
    let results = build_years(&prepared, &workspace, &typesetter, &options, &|_| {});
    assert_eq!(results[0].built(), 9, "{:?}", results[0].outcomes);
    assert!(!workspace.out.exists(), "nothing on disk");
    let files = memory.files();
    assert_eq!(files.len(), 9);
    for committed in pdfs(&repo().join("out/2024")) {
        let name = committed.file_name().unwrap();
        let held = files.iter().find(|(path, _)| path.file_name() == Some(name)).expect("the same document in memory");
        assert!(*held.1 == fs::read(&committed).unwrap(), "{}: same bytes", committed.display());
    }
}
