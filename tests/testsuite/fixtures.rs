//! Rule fixtures as small patches over one clean year.
//!
//! `tests/fixtures/rules/ok-clean/2024/` is a clean year (a department and one project).
//! Every other case is one file, `tests/fixtures/rules/<code>-<what>.yaml`, that says how
//! it differs, file by file:
//!
//! ```yaml
//! projects/131003001.yaml:            # edit a file of the clean year
//!   replace:
//!     - ["    basis: 问卷调查\n", ""]  # each text must occur exactly once
//! projects/13100300A.yaml:            # a new file, made from a clean one
//!   from: projects/131003001.yaml
//!   replace:
//!     - ["code: \"131003001\"\n", "code: \"13100300A\"\n"]
//! projects/说明.txt:
//!   content: "说明\n"                 # a new file with this text
//! projects/131003002.yaml:
//!   hex: 636f6465                     # a file with these bytes (not UTF-8)
//! projects: delete                    # a file or folder removed
//! actuals/year-end: copy              # the clean actual figures (ok-clean/year-end/)
//! ```
//!
//! The clean year has no actual figures (so that a patch of its targets needs none):
//! `ok-clean/year-end/` is a clean period folder a case copies in with `copy`, and then
//! patches like any file.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::common::repo;

/// What a fixture does to one path.
#[derive(Deserialize)]
#[serde(untagged)]
enum Change {
    /// `delete`, or `copy` (a clean folder outside the year).
    Delete(String),
    /// A file: made from another clean file, replaced text, or given content or bytes.
    File {
        #[serde(default)]
        from: Option<String>,
        #[serde(default)]
        replace: Vec<(String, String)>,
        #[serde(default)]
        content: Option<String>,
        #[serde(default)]
        hex: Option<String>,
    },
}

/// The clean year every patch starts from.
pub fn clean_year() -> PathBuf {
    repo().join("tests/fixtures/rules/ok-clean/2024")
}

/// Every case: `(name, patch file or None for the clean year itself)`, sorted by name.
pub fn cases() -> Vec<(String, Option<PathBuf>)> {
    let mut cases = vec![("ok-clean".to_string(), None)];
    for entry in fs::read_dir(repo().join("tests/fixtures/rules")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let name = path.file_stem().unwrap().to_str().unwrap().to_string();
            cases.push((name, Some(path)));
        }
    }
    cases.sort();
    cases
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// Writes the year of a case into `year` (the clean year with the patch applied).
pub fn materialize(patch: Option<&Path>, year: &Path) {
    copy_tree(&clean_year(), year);
    let Some(patch) = patch else { return };
    let text = fs::read_to_string(patch).unwrap();
    let changes: BTreeMap<String, Change> =
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", patch.display()));
    // Deletions first, so that a file can be removed and made again under another name.
    let (deletions, files): (Vec<_>, Vec<_>) = changes.into_iter().partition(|(_, c)| matches!(c, Change::Delete(_)));
    for (path, change) in deletions {
        let Change::Delete(word) = change else { unreachable!() };
        let target = year.join(&path);
        match word.as_str() {
            "delete" if target.is_dir() => fs::remove_dir_all(&target).unwrap(),
            "delete" => fs::remove_file(&target).unwrap(),
            "copy" => copy_tree(&clean_year().parent().unwrap().join(target.file_name().unwrap()), &target),
            _ => panic!("{}: {path}: {word} (delete or copy)", patch.display()),
        }
    }
    for (path, change) in files {
        let Change::File { from, replace, content, hex } = change else { unreachable!() };
        let target = year.join(&path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        if let Some(hex) = hex {
            let bytes: Vec<u8> =
                (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
            fs::write(&target, bytes).unwrap();
            continue;
        }
        let mut text = match (content, from) {
            (Some(content), _) => content,
            (None, Some(from)) => fs::read_to_string(clean_year().join(from)).unwrap(),
            (None, None) => fs::read_to_string(&target).unwrap(),
        };
        for (old, new) in replace {
            assert_eq!(text.matches(&old).count(), 1, "{}: {path}: {old:?} occurs once", patch.display());
            text = text.replacen(&old, &new, 1);
        }
        fs::write(&target, text).unwrap();
    }
}
