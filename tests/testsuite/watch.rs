//! `jixiao watch`: builds, then rebuilds on each save what it affects, says so in one line,
//! reports a bad spec and goes on, and leaves editors' scratch files alone.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::{pdf_text, pdfs, squeeze};
use crate::scratch::Project;

/// A running `jixiao watch` and its output lines (stderr into stdout, in the order written:
/// two pipes read by two threads would not keep a problem before its status line).
struct Watching {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Watching {
    fn start(root: &Path) -> Watching {
        // `exec`: the shell becomes jixiao, so killing the child stops watching.
        let mut child = Command::new("sh")
            .args(["-c", "exec \"$0\" watch 2>&1", env!("CARGO_BIN_EXE_jixiao")])
            .current_dir(root)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let (sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        Watching { child, lines }
    }

    /// The lines up to and including the next status line (the one with 秒）), within a
    /// generous limit (a slow CI machine); panics with what it saw otherwise.
    fn next_rebuild(&self) -> Vec<String> {
        let mut seen = Vec::new();
        loop {
            match self.lines.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    let status = line.contains("秒）：");
                    seen.push(line);
                    if status {
                        return seen;
                    }
                }
                Err(_) => panic!("no rebuild line; saw: {seen:#?}"),
            }
        }
    }
}

/// Saves `text` to `path` as many editors do: a hidden temporary file renamed over it (one
/// event, never a half-written file).
fn save(path: &Path, text: &str) {
    let temporary = path.with_file_name(format!(".{}.tmp", path.file_name().unwrap().to_string_lossy()));
    fs::write(&temporary, text).unwrap();
    fs::rename(&temporary, path).unwrap();
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn watch_rebuilds_what_a_save_affects_and_survives_a_bad_spec() {
    let dir = Project::seed(&["131003001", "131003002"]);
    let year = dir.root().join("specs/2024");
    let watching = Watching::start(dir.root());
    let first = watching.next_rebuild();
    assert!(first.last().unwrap().contains("已生成 specs/2024：131003001、131003002、合订本"), "{first:#?}");
    let out = dir.root().join("out/2024");
    assert_eq!(pdfs(&out).len(), 3);

    // A saved spec: its table and the report, and its new text in the PDF.
    let spec = year.join("projects/131003002.yaml");
    let text = fs::read_to_string(&spec).unwrap();
    save(&spec, &text.replace("问卷调查", "问卷调查（年终）"));
    let saved = watching.next_rebuild();
    let status = saved.last().unwrap();
    assert!(status.contains("已生成 specs/2024：131003002、合订本") && status.contains("0 个错误"), "{saved:#?}");
    let table = pdfs(&out).into_iter().find(|p| p.to_string_lossy().contains("131003002")).unwrap();
    assert!(squeeze(&pdf_text(&table)).contains("问卷调查（年终）"));

    // A bad value: reported in one line each, the old PDF kept, and watching goes on.
    let before = fs::read(&table).unwrap();
    save(&spec, &text.replace("  3: 10\n", "  3: 百分之十\n"));
    let bad = watching.next_rebuild();
    assert!(bad.iter().any(|l| l.contains("131003002.yaml:") && l.contains("E0309")), "{bad:#?}");
    assert!(bad.last().unwrap().contains("1 个错误"), "{bad:#?}");
    assert_eq!(fs::read(&table).unwrap(), before, "the previous PDF is kept");

    // An editor's scratch file is not a change, and neither is saving without an edit; the
    // fix that follows is.
    fs::write(year.join("projects/.131003002.yaml.swp"), "scratch").unwrap();
    save(&spec, &text.replace("  3: 10\n", "  3: 百分之十\n"));
    save(&spec, &text);
    let fixed = watching.next_rebuild();
    assert!(
        fixed.last().unwrap().contains("131003002、合订本") && fixed.last().unwrap().contains("0 个错误"),
        "{fixed:#?}"
    );

    // The department file: the whole year.
    let department = year.join("department.yaml");
    save(&department, &fs::read_to_string(&department).unwrap().replace("万元", "万元 "));
    let all = watching.next_rebuild();
    assert!(all.last().unwrap().contains("131003001、131003002、合订本"), "{all:#?}");
}

#[test]
fn a_rebuild_refused_for_a_busy_output_folder_is_tried_again() {
    let dir = Project::seed(&["131003001"]);
    let watching = Watching::start(dir.root());
    watching.next_rebuild();
    let out = dir.root().join("out/2024");
    // Another build (held here) writes into the output folder while a spec is saved.
    let lock = fs::OpenOptions::new().write(true).open(out.join(".jixiao-lock")).unwrap();
    lock.try_lock().unwrap();
    let spec = dir.root().join("specs/2024/projects/131003001.yaml");
    let text = fs::read_to_string(&spec).unwrap();
    save(&spec, &text.replace("办件数据", "办件数据（全年）"));
    let refused = watching.next_rebuild();
    assert!(refused.iter().any(|l| l.contains("E0111")), "{refused:#?}");
    drop(lock);
    // Without another save: watch tries again by itself.
    let retried = watching.next_rebuild();
    assert!(retried.last().unwrap().contains("131003001、合订本"), "{retried:#?}");
    let table = pdfs(&out).into_iter().find(|p| p.to_string_lossy().contains("131003001")).unwrap();
    assert!(squeeze(&pdf_text(&table)).contains("办件数据（全年）"));
}

#[test]
fn a_replaced_specs_folder_is_watched_anew() {
    let dir = Project::seed(&["131003001"]);
    let watching = Watching::start(dir.root());
    watching.next_rebuild();
    // `specs/` restored from a copy: the new folder's saves count.
    let specs = dir.root().join("specs");
    fs::rename(&specs, dir.root().join("specs.old")).unwrap();
    crate::common::copy_tree(&dir.root().join("specs.old"), &specs);
    std::thread::sleep(Duration::from_secs(1));
    while watching.lines.try_recv().is_ok() {}
    let spec = specs.join("2024/projects/131003001.yaml");
    let text = fs::read_to_string(&spec).unwrap();
    save(&spec, &text.replace("办件数据", "办件数据（恢复后）"));
    let saved = watching.next_rebuild();
    assert!(saved.last().unwrap().contains("131003001、合订本"), "{saved:#?}");
    let table =
        pdfs(&dir.root().join("out/2024")).into_iter().find(|p| p.to_string_lossy().contains("131003001")).unwrap();
    assert!(squeeze(&pdf_text(&table)).contains("办件数据（恢复后）"));
}
