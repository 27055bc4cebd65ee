//! The `# yaml-language-server: $schema=…` first line of a spec file, which makes editors
//! (VS Code's YAML extension and others built on yaml-language-server) complete, explain
//! and check the file against `schema/<form>/…json`. The path is relative to the file, so
//! it works in any clone.

use std::path::{Component, Path, PathBuf};

/// File names of the schemas inside `schema/<form>/`.
pub const DEPARTMENT_SCHEMA: &str = "department.json";
/// See [`DEPARTMENT_SCHEMA`].
pub const PROJECT_SCHEMA: &str = "project.json";
/// The schema of a period form's `period.yaml`.
pub const PERIOD_SCHEMA: &str = "period.json";
/// The schema of a period form's actuals files.
pub const ACTUALS_SCHEMA: &str = "actuals.json";

/// How the line starts.
pub const PREFIX: &str = "# yaml-language-server: $schema=";

/// The folder of the committed schemas, under the project root.
pub const SCHEMA_DIR: &str = "schema";

/// `text` with its modeline pointing at `schema` (a path relative to the file): an
/// existing modeline (in the comments the file starts with) replaced where it is, or one
/// added as the first line.
pub fn set(text: &str, schema: &str) -> String {
    let line = format!("{PREFIX}{schema}");
    match find(text) {
        Some((start, end)) => format!("{}{line}{}", &text[..start], &text[end..]),
        None => format!("{line}\n{text}"),
    }
}

/// The schema a modeline names, if the text has one.
pub fn schema_of(text: &str) -> Option<&str> {
    find(text).map(|(start, end)| text[start + PREFIX.len()..end].trim_end_matches('\r'))
}

/// Where the modeline is (byte range of the line, without its newline): among the comment
/// and blank lines the file starts with.
fn find(text: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        if content.starts_with(PREFIX) {
            return Some((offset, offset + content.len()));
        }
        if !content.trim().is_empty() && !content.trim_start().starts_with('#') {
            return None;
        }
        offset += line.len();
    }
    None
}

/// The path of `target` as seen from the folder of `file`, with `/` separators (for a
/// modeline). Both are taken from the current folder, lexically (as an editor resolves
/// the modeline: a linked folder is not followed); neither needs to exist.
pub fn relative(file: &Path, target: &Path) -> String {
    let from = absolute(file.parent().unwrap_or(Path::new(".")));
    let to = absolute(target);
    let (from, to): (Vec<Component>, Vec<Component>) = (from.components().collect(), to.components().collect());
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(to[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

/// `path` made absolute and without `.`/`..`, lexically.
fn absolute(path: &Path) -> PathBuf {
    let mut out = if path.is_absolute() { PathBuf::new() } else { std::env::current_dir().unwrap_or_default() };
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The schema file for a spec of `form`: `department.json` or `project.json` in
/// `<root>/schema/<form>/`.
pub fn schema_file(root: &Path, form: &str, department: bool) -> PathBuf {
    let name = if department { DEPARTMENT_SCHEMA } else { PROJECT_SCHEMA };
    root.join(SCHEMA_DIR).join(form).join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_and_replaces_the_first_line() {
        let text = "year: 2024\n";
        let once = set(text, "../../schema/a/department.json");
        assert_eq!(once, "# yaml-language-server: $schema=../../schema/a/department.json\nyear: 2024\n");
        let twice = set(&once, "../schema/b/department.json");
        assert_eq!(twice, "# yaml-language-server: $schema=../schema/b/department.json\nyear: 2024\n");
        assert_eq!(schema_of(&twice), Some("../schema/b/department.json"));
        assert_eq!(schema_of(text), None);
        // Below another comment it is found and replaced where it is.
        let later = format!("# 2024 年编制\n{once}");
        assert_eq!(set(&later, "x.json"), "# 2024 年编制\n# yaml-language-server: $schema=x.json\nyear: 2024\n");
        assert_eq!(schema_of("year: 2024\n# yaml-language-server: $schema=x.json\n"), None);
    }

    #[test]
    fn paths_are_relative_to_the_file() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("specs/2024/projects/131003001.yaml");
        let target = schema_file(root.path(), "hebei-2024", false);
        assert_eq!(relative(&file, &target), "../../../schema/hebei-2024/project.json");
        let file = root.path().join("specs/131003/2024/department.yaml");
        assert_eq!(relative(&file, &schema_file(root.path(), "x", true)), "../../../schema/x/department.json");
    }
}
