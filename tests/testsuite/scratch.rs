//! Scratch projects for the tests, made one way (as mdBook's `BookTest`): a temporary
//! project folder with `specs/2024` holding seed files or a clean generated project, the
//! repository's `templates/` and `fonts/` linked in (or a copy of the seed form to edit),
//! and `jixiao` run inside it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use crate::common::*;

/// A scratch project in a temporary folder, removed when dropped.
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    /// An empty project: no specs, `templates/` and `fonts/` linked to the repository's.
    pub fn empty() -> Project {
        let dir = tempfile::tempdir().unwrap();
        #[cfg(unix)]
        for shared in ["templates", "fonts"] {
            std::os::unix::fs::symlink(repo().join(shared), dir.path().join(shared)).unwrap();
        }
        Project { dir }
    }

    /// `specs/2024` with the seed's department file and the seed projects `codes`.
    pub fn seed(codes: &[&str]) -> Project {
        let project = Project::empty();
        fs::create_dir_all(project.year().join("projects")).unwrap();
        project.copy_from_repo("specs/2024/department.yaml", "specs/2024/department.yaml");
        for code in codes {
            let name = format!("specs/2024/projects/{code}.yaml");
            project.copy_from_repo(&name, &name);
        }
        project
    }

    /// Copies a file of the repository into the project.
    pub fn copy_from_repo(&self, from: &str, to: &str) -> PathBuf {
        let target = self.root().join(to);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(repo().join(from), &target).unwrap();
        target
    }

    /// A project with one clean generated project `131003001` (the rule fixtures' clean case).
    pub fn clean() -> Project {
        let project = Project::empty();
        let fixture = "tests/fixtures/rules/ok-clean/2024";
        project.copy_from_repo(&format!("{fixture}/department.yaml"), "specs/2024/department.yaml");
        project.copy_from_repo(&format!("{fixture}/projects/131003001.yaml"), "specs/2024/projects/131003001.yaml");
        project
    }

    /// The project folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `specs/2024`.
    pub fn year(&self) -> PathBuf {
        self.root().join("specs/2024")
    }

    /// The spec file of project `code`.
    pub fn spec(&self, code: &str) -> PathBuf {
        self.year().join(format!("projects/{code}.yaml"))
    }

    /// `out/2024`.
    pub fn out(&self) -> PathBuf {
        self.root().join("out/2024")
    }

    /// Replaces the `templates` link by a copy of the seed form (as `hebei-2024`), to be
    /// edited; returns its folder.
    pub fn own_form(&self) -> PathBuf {
        fs::remove_file(self.root().join("templates")).unwrap();
        copy_tree(&repo().join("templates/shared"), &self.root().join("templates/shared"));
        let form = self.root().join("templates/hebei-2024");
        copy_tree(&repo().join("templates/hebei-2024"), &form);
        form
    }

    /// Makes the forms copies (see [`Project::own_form`]), with a copy of the form `name`
    /// too (a period's form, to be edited); returns its folder.
    pub fn own_forms_with(&self, name: &str) -> PathBuf {
        self.own_form();
        let form = self.root().join("templates").join(name);
        copy_tree(&repo().join("templates").join(name), &form);
        form
    }

    /// Makes the form a copy (see [`Project::own_form`]) and edits one of its files (a
    /// template it inherits becomes its own first, as a form overrides one); returns the
    /// file.
    pub fn edit_form(&self, file: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
        let path = self.own_form().join(file);
        let shared = self.root().join("templates/shared").join(file);
        let text = fs::read_to_string(&path).or_else(|_| fs::read_to_string(&shared)).unwrap();
        fs::write(&path, edit(text)).unwrap();
        path
    }

    /// Makes the form a copy and adds `line` at the end of the project template.
    pub fn with_template_line(&self, line: &str) {
        self.edit_form("project.typ.j2", |text| format!("{text}\n{line}\n"));
    }

    /// Runs jixiao in the project with `args`.
    pub fn run(&self, args: &[&str]) -> Output {
        jixiao_in(self.root(), args)
    }

    /// Runs jixiao in the project with `args` and environment variables.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        jixiao_with(self.root(), args, env)
    }

    /// Every file under `out/` with its bytes.
    pub fn out_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        let mut pending = vec![self.root().join("out")];
        while let Some(dir) = pending.pop() {
            let Ok(entries) = fs::read_dir(&dir) else { continue };
            for entry in entries {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    files.push((path.clone(), fs::read(&path).unwrap()));
                }
            }
        }
        files.sort();
        files
    }
}

pub fn assert_no_panic(output: &Output) {
    let text = text_of(output);
    assert!(!text.contains("panicked") && output.status.code() != Some(101), "no panic:\n{text}");
}

/// A message line of the form `file:line:col: 错误[CODE]`.
pub fn located(text: &str, file: &str, line: usize, code: &str) -> bool {
    text.lines().any(|l| l.contains(&format!("{file}:{line}:")) && l.contains(&format!("[{code}]")))
}

/// No English words from the parser or the system in what the user reads.
pub fn assert_chinese(text: &str) {
    for english in [
        "error:",
        "invalid",
        "unexpected",
        "recursion",
        "found a",
        "while scanning",
        "os error",
        "Not a directory",
        "No such file",
        "Read-only",
        "could not",
    ] {
        assert!(!text.contains(english), "English {english:?} in:\n{text}");
    }
}

pub fn assert_quick(started: Instant) {
    assert!(started.elapsed() < Duration::from_secs(60), "finished (took {:?})", started.elapsed());
}
