//! The layers of `src/`, checked on the source so that a new import that crosses one
//! fails here at once (the README's Contributing section draws them):
//!
//! - a top-level module may use only modules of lower layers ([`LAYERS`]): the core
//!   (specs, forms, validation, the view, the review) knows neither the engine, the disk
//!   nor the command line, and neither of the two front ends (`cmd`, `serve`) the other;
//! - no two files of one folder use each other, however indirectly;
//! - the core names no `typst*` or `clap` crate.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The top-level modules of `src/`, lowest layer first. A module may use the modules of
/// the layers below its own, never those of its own layer or above.
const LAYERS: &[&[&str]] = &[
    // Foundations: texts, numbers, problems, threads, the progress line.
    &["text", "suggest", "value", "diag", "parallel", "progress"],
    // Reading: bounded file reads; the spec's data model and its field catalog; the
    // scoring rules of the self-evaluation.
    &["files", "model", "score"],
    // YAML with positions.
    &["yaml"],
    // Forms (templates/<form>/form.yaml).
    &["form"],
    // Spec files: shape, loading, sources, edits.
    &["spec"],
    // Domain rules and lints.
    &["validate"],
    // What templates receive; the printed grid of cells office files hold.
    &["view", "grid"],
    // Diffs between revisions (they mark views).
    &["review"],
    // The outer edges: the folders, minijinja, the output folder's state, the command
    // line's words.
    // Office files (xlsx, docx) written from a grid and read back as cells.
    &["workspace", "render", "incremental", "cli", "office"],
    // jixiao.toml.
    &["config"],
    // Office files read into specs (through a form's printed layout).
    &["import"],
    // Typst.
    &["typeset"],
    // The build.
    &["pipeline"],
    // Settings, year folders and fonts for a command or the editor.
    &["session"],
    // The two front ends.
    &["cmd", "serve"],
];

/// Modules that make up the core: no engine, no command line.
const CORE: &[&str] = &[
    "model", "score", "yaml", "form", "spec", "validate", "view", "grid", "review", "diag", "value", "text", "suggest",
];

/// Every `.rs` file under `src/` by module path (`pipeline/produce` → `["pipeline", "produce"]`;
/// `mod.rs` names its folder), with its text before any `#[cfg(test)]` and without comments.
fn modules(src: &Path) -> BTreeMap<Vec<String>, String> {
    fn walk(dir: &Path, src: &Path, found: &mut BTreeMap<Vec<String>, String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, src, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(src).unwrap().with_extension("");
                let mut module: Vec<String> =
                    relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                if module.last().is_some_and(|m| m == "mod") {
                    module.pop();
                }
                if module == ["lib"] || module == ["main"] {
                    module.clear();
                }
                let text = fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                let code: Vec<&str> = code.lines().map(|l| l.split("//").next().unwrap_or_default()).collect();
                found.insert(module, code.join("\n"));
            }
        }
    }
    let mut found = BTreeMap::new();
    walk(src, src, &mut found);
    found
}

/// The paths a file names from `crate::` or `super::`, as written (`use` groups spread:
/// `use crate::{a, b::c}` gives `crate::a` and `crate::b::c`).
fn paths(code: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let at_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':');
        let rest: String = chars[i..chars.len().min(i + 7)].iter().collect();
        if at_word && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let (trees, end) = tree(&chars, i);
            found.extend(trees);
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// A path (and the group it may end in) starting at `i`: the paths it names and where
/// it ends.
fn tree(chars: &[char], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    loop {
        let start = i;
        while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
            i += 1;
        }
        if i > start {
            prefix.push(chars[start..i].iter().collect::<String>());
        }
        if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
            i += 2;
            if chars.get(i) == Some(&'{') {
                i += 1;
                let mut all = Vec::new();
                loop {
                    while chars.get(i).is_some_and(|c| c.is_whitespace() || *c == ',') {
                        i += 1;
                    }
                    if i >= chars.len() || chars[i] == '}' {
                        return (all, i + 1);
                    }
                    let (inner, end) = tree(chars, i);
                    all.extend(inner.into_iter().map(|p| prefix.iter().cloned().chain(p).collect()));
                    i = end;
                    // Skip `as name` and anything else up to the next item.
                    while i < chars.len() && chars[i] != ',' && chars[i] != '}' {
                        i += 1;
                    }
                }
            }
            continue;
        }
        return (vec![prefix], i);
    }
}

/// The module a path names from inside `module`: the longest known module it starts with.
fn resolve(module: &[String], path: &[String], known: &BTreeMap<Vec<String>, String>) -> Option<Vec<String>> {
    let mut absolute: Vec<String> = Vec::new();
    let mut parts = path.iter().peekable();
    if parts.peek().is_some_and(|p| *p == "crate") {
        parts.next();
    } else {
        absolute = module.to_vec();
        // A file's `super` is its folder's module (the parent of a file, or of `mod.rs`'s own).
        while parts.peek().is_some_and(|p| *p == "super") {
            parts.next();
            absolute.pop();
        }
    }
    absolute.extend(parts.filter(|p| *p != "self").cloned());
    (1..=absolute.len()).rev().map(|n| absolute[..n].to_vec()).find(|m| known.contains_key(m))
}

/// Every edge between two different modules.
fn edges(known: &BTreeMap<Vec<String>, String>) -> BTreeSet<(Vec<String>, Vec<String>)> {
    let mut edges = BTreeSet::new();
    for (module, code) in known {
        for path in paths(code) {
            if let Some(target) = resolve(module, &path, known).filter(|t| t != module) {
                edges.insert((module.clone(), target));
            }
        }
    }
    edges
}

fn layer(module: &str) -> usize {
    LAYERS.iter().position(|l| l.contains(&module)).unwrap_or_else(|| panic!("src/{module} is in no layer of LAYERS"))
}

#[test]
fn a_module_uses_only_lower_layers() {
    let known = modules(&crate::common::repo().join("src"));
    let edges = edges(&known);
    assert!(edges.len() > 200, "the imports are found: {}", edges.len());
    let mut crossed = Vec::new();
    for (from, to) in &edges {
        let (Some(a), Some(b)) = (from.first(), to.first()) else { continue };
        if a != b && layer(b) >= layer(a) {
            crossed.push(format!("{} uses {}", from.join("/"), to.join("/")));
        }
    }
    assert!(crossed.is_empty(), "imports against the layers (see LAYERS):\n{}", crossed.join("\n"));
    // Every top-level module has its place.
    for module in known.keys().filter_map(|m| m.first()) {
        layer(module);
    }
}

#[test]
fn no_two_files_of_a_folder_use_each_other() {
    let known = modules(&crate::common::repo().join("src"));
    let mut siblings: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (from, to) in edges(&known) {
        if from.len() == to.len() && !from.is_empty() && from[..from.len() - 1] == to[..to.len() - 1] {
            siblings.entry(from).or_default().insert(to);
        }
    }
    // A file that reaches itself through its siblings is in a cycle.
    for start in siblings.keys() {
        let mut seen = BTreeSet::new();
        let mut queue: Vec<&Vec<String>> = siblings[start].iter().collect();
        while let Some(next) = queue.pop() {
            assert!(next != start, "{} is in an import cycle among its folder's files", start.join("/"));
            if seen.insert(next) {
                queue.extend(siblings.get(next).into_iter().flatten());
            }
        }
    }
    assert!(siblings.len() > 20, "sibling imports are found");
}

#[test]
fn the_core_imports_neither_typst_nor_clap() {
    let known = modules(&crate::common::repo().join("src"));
    let core: Vec<_> = known.iter().filter(|(m, _)| m.first().is_some_and(|f| CORE.contains(&f.as_str()))).collect();
    assert!(core.len() >= 20, "the core's files are found");
    for (module, code) in core {
        for name in ["typst", "clap"] {
            let named =
                [format!("use {name}"), format!("{name}::"), format!("{name}_")].iter().any(|n| code.contains(n));
            assert!(!named, "src/{} names the {name} crate", module.join("/"));
        }
    }
}

#[test]
fn the_checks_see_a_crossing() {
    let mut known = BTreeMap::new();
    known.insert(vec!["model".to_string()], "use crate::pipeline::build;".to_string());
    known.insert(vec!["pipeline".to_string()], "use crate::{model::Text, yaml::{self, span_of}};".to_string());
    known.insert(vec!["pipeline".to_string(), "fit".to_string()], "super::run::YearRun".to_string());
    known.insert(vec!["pipeline".to_string(), "run".to_string()], String::new());
    known.insert(vec!["yaml".to_string()], String::new());
    let edges = edges(&known);
    let has = |a: &[&str], b: &[&str]| {
        edges.contains(&(a.iter().map(|s| s.to_string()).collect(), b.iter().map(|s| s.to_string()).collect()))
    };
    assert!(has(&["model"], &["pipeline"]) && layer("pipeline") > layer("model"), "a back edge is seen");
    assert!(has(&["pipeline"], &["model"]) && has(&["pipeline"], &["yaml"]), "use groups are spread");
    assert!(has(&["pipeline", "fit"], &["pipeline", "run"]), "super:: is its folder");
}
