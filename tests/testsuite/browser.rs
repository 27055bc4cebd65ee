//! The editor in a real browser: headless Chromium (Debian's `chromium`, driven by
//! playwright-core from `tests/editor/browser.js`) opens `jixiao serve` as a clerk
//! would, edits, makes a mistake, saves, meets a conflict; the files on disk are then
//! checked here. The README's screenshot is the one this test takes
//! (`UPDATE_SCREENSHOT=1` writes it to `tests/editor/screenshot.png`).
//!
//! Needs Node.js, `npm ci` in `tests/editor/` and `/usr/bin/chromium` (or `CHROMIUM`):
//! `.ci/run` installs them and sets `JIXIAO_BROWSER_TEST=1`, so that a missing piece
//! fails the test there instead of skipping it.

use std::path::PathBuf;
use std::process::Command;

use crate::common::{git, repo};
use crate::live_server::Server;
use crate::scratch::Project;

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let driver = repo().join("tests/editor/node_modules/playwright-core").is_dir();
    if path.is_file() && driver {
        return Some(path);
    }
    assert!(
        std::env::var_os("JIXIAO_BROWSER_TEST").is_none(),
        "JIXIAO_BROWSER_TEST is set but Chromium ({}) or tests/editor/node_modules is missing",
        path.display()
    );
    eprintln!("browser test skipped: install Debian's chromium and run `npm ci` in tests/editor (as .ci/run does)");
    None
}

#[test]
fn a_clerk_edits_checks_and_saves_a_project_in_the_browser() {
    let Some(chromium) = chromium() else { return };
    let project = Project::seed(&["131003001", "131003002"]);
    for name in ["period.yaml", "131003001.yaml", "131003002.yaml"] {
        let (from, to) =
            (format!("specs/example/2024/actuals/year-end/{name}"), format!("specs/2024/actuals/year-end/{name}"));
        project.copy_from_repo(&from, &to);
    }
    let actuals = project.root().join("specs/2024/actuals/year-end/131003001.yaml");
    let actuals_before = std::fs::read_to_string(&actuals).unwrap();
    git(project.root(), &["init", "-q"]);
    git(project.root(), &["add", "-A"]);
    git(project.root(), &["commit", "-qm", "seed"]);
    let file = project.root().join("specs/2024/projects/131003001.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    let server = Server::start(project.root());
    let scratch = tempfile::tempdir().unwrap();
    let screenshot = if std::env::var_os("UPDATE_SCREENSHOT").is_some() {
        repo().join("tests/editor/screenshot.png")
    } else {
        scratch.path().join("screenshot.png")
    };
    let output = Command::new("node")
        .arg(repo().join("tests/editor/browser.js"))
        .arg(&server.url)
        .arg(project.root())
        .arg(&screenshot)
        .env("CHROMIUM", &chromium)
        .current_dir(repo().join("tests/editor"))
        .output()
        .expect("node runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).expect("the driver prints JSON");
    assert_eq!(result["page_errors"], serde_json::json!([]), "{result}");

    // Saved: exactly the two edited lines changed, everything else byte for byte.
    let saved = result["saved"].as_str().unwrap();
    let expected = original
        .replace("name: 政务服务中心工作\n", "name: 政务服务中心工作（改）\n")
        .replace("  6: 50\n", "  6: 150\n");
    assert_eq!(saved, expected);
    // The mistake was shown at its field with check's rule, and the save marked it.
    let diagnostic = result["diagnostic"].as_str().unwrap();
    assert!(diagnostic.starts_with("E0309") && diagnostic.contains("6 月底"), "{diagnostic}");
    assert!(result["saved_state"].as_str().unwrap().contains("1 个错误"), "{result}");
    let check = crate::common::jixiao_in(project.root(), &["check", "--message-format", "short"]);
    assert!(String::from_utf8_lossy(&check.stderr).contains("错误[E0309]"));
    // The conflict: the other program's line shown, nothing of the page's written.
    assert!(result["conflict"].as_str().unwrap().contains("+# 另一个程序加的注释"), "{result}");
    assert_eq!(result["after_conflict"].as_str().unwrap(), format!("{expected}# 另一个程序加的注释\n"));
    assert_eq!(result["copied"], true);
    assert_eq!(result["deleted"], true);
    // The actual figures: the target's row beside them, the score and total as typed,
    // the one value saved in place.
    assert!(result["target_row"].as_str().unwrap().contains("政务服务事项限时办结率100%"), "{result}");
    assert!(result["total_after"].as_str().unwrap().contains("总分 99.72"), "{result}");
    assert_eq!(
        result["actuals_saved"].as_str().unwrap(),
        actuals_before.replace("    actual: 99.6%\n", "    actual: 100%\n")
    );
    let status = git(project.root(), &["status", "--porcelain"]);
    assert_eq!(
        status.lines().map(str::trim).collect::<Vec<_>>(),
        ["M specs/2024/actuals/year-end/131003001.yaml", "M specs/2024/projects/131003001.yaml"]
    );

    // Preview latency after typing stops, one-page table (recorded in BENCHMARKS.md;
    // not a pass mark: timings vary with the machine).
    let latencies: Vec<u64> = result["latencies"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    eprintln!("editor preview latency after typing stops (ms): {latencies:?}");
    assert_eq!(latencies.len(), 5);
    assert!(screenshot.is_file());
    assert!(server.interrupt().success());
}
