//! The core (specs, forms, validation, the view, the review, diagnostics) knows neither the engine nor
//! the command line: its files import no `typst*` or `clap` crate and none of the modules
//! built on top of it. Checked on the source, so a new import fails here at once.

use std::fs;
use std::path::Path;

/// Core modules (files or folders under `src/`).
const CORE: &[&str] = &["spec", "form", "validate", "view", "review", "diag", "value", "text.rs", "suggest.rs"];
/// What the core may not use.
const FORBIDDEN: &[&str] = &[
    "typst",
    "clap",
    "crate::build",
    "crate::typeset",
    "crate::cmd",
    "crate::cli",
    "crate::incremental",
    "crate::parallel",
    "crate::render",
    "crate::progress",
];

fn rust_files(path: &Path, found: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            rust_files(&entry.unwrap().path(), found);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        found.push(path.to_path_buf());
    }
}

#[test]
fn the_core_imports_neither_typst_nor_clap() {
    let src = crate::common::repo().join("src");
    let mut files = Vec::new();
    for module in CORE {
        rust_files(&src.join(module), &mut files);
    }
    assert!(files.len() >= 20, "the core's files are found: {files:?}");
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for forbidden in FORBIDDEN {
                let used = code.contains(&format!("use {forbidden}"))
                    || code.contains(&format!("{forbidden}::"))
                    || code.contains(&format!("{forbidden}_"));
                assert!(!used, "{}:{}: the core uses {forbidden}: {line}", file.display(), number + 1);
            }
        }
    }
}
