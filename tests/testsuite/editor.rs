//! The committed specs in an editor: yaml-language-server (the server of VS Code's YAML
//! extension) opens a spec, finds its schema through the first line, and shows what the
//! README promises: no complaint about a correct spec, red squiggles on a misspelt key and
//! a 二级 name that is not the form's, the 二级 names as completions, the Chinese
//! description on hover.
//!
//! Needs Node.js and `npm ci` in `tests/editor/` (which `.ci/run` does, and sets
//! `JIXIAO_EDITOR_TEST=1` so that a missing server fails the test instead of skipping it).

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::repo;

/// What the editor shows for `file`: diagnostics (line, message), completions at
/// `complete`, hover text at `hover`; `None` when the server is not installed here.
fn open(file: &Path, complete: &str, hover: &str) -> Option<serde_json::Value> {
    let editor = repo().join("tests/editor");
    let installed = editor.join("node_modules/yaml-language-server").is_dir();
    if !installed {
        assert!(
            std::env::var_os("JIXIAO_EDITOR_TEST").is_none(),
            "JIXIAO_EDITOR_TEST is set but tests/editor has no node_modules: run `npm ci` there"
        );
        eprintln!("editor test skipped: run `npm ci` in tests/editor (as .ci/run does) to include it");
        return None;
    }
    let output = Command::new("node")
        .arg(editor.join("lsp.js"))
        .args([file.to_str().unwrap(), complete, hover])
        .output()
        .expect("node runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    Some(serde_json::from_slice(&output.stdout).expect("the driver prints JSON"))
}

#[test]
fn an_editor_completes_explains_and_underlines_specs_by_their_schema() {
    let seed = repo().join("specs/2024/projects/131003002.yaml");
    let Some(clean) = open(&seed, "13:12", "10:2") else { return };
    assert_eq!(clean["diagnostics"], serde_json::json!([]), "a committed spec passes: {clean}");
    assert!(clean["hover"].as_str().unwrap().contains("绩效目标（长文字，必填）"), "{clean}");
    let completion: Vec<&str> = clean["completion"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(completion.contains(&"数量指标") && completion.contains(&"服务对象满意度指标"), "{completion:?}");

    // A broken copy in the same place (so its first line finds the same schema).
    let dir = tempfile::tempdir().unwrap();
    let projects = dir.path().join("specs/2024/projects");
    fs::create_dir_all(&projects).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(repo().join("schema"), dir.path().join("schema")).unwrap();
    let broken = projects.join("131003002.yaml");
    let text = fs::read_to_string(&seed).unwrap();
    fs::write(&broken, text.replace("purpose:", "purpse:").replace("level2: 质量指标", "level2: 质量指表")).unwrap();
    let shown = open(&broken, "13:12", "10:2").unwrap();
    let messages: Vec<String> =
        shown["diagnostics"].as_array().unwrap().iter().map(|d| format!("{}: {}", d[0], d[1])).collect();
    assert!(messages.iter().any(|m| m.starts_with("4: ") && m.contains("purpse")), "{messages:#?}");
    assert!(messages.iter().any(|m| m.contains("Missing property") && m.contains("purpose")), "{messages:#?}");
    assert!(messages.iter().any(|m| m.starts_with("19: ") && m.contains("质量指标")), "{messages:#?}");
}
