//! Incremental builds: unchanged inputs are not typeset again; a changed spec, a PDF
//! edited or deleted by hand, or `--force` rebuild exactly what they should.

use std::fs;
use std::path::Path;

use crate::common::*;
use crate::scratch::Project;

fn build(year: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["build", year.to_str().unwrap(), "--out", out.to_str().unwrap(), "--verbose"];
    args.extend(extra);
    let output = jixiao(&args);
    let text = text_of(&output);
    assert!(output.status.success(), "{text}");
    text
}

fn count(log: &str, word: &str) -> usize {
    log.lines().filter(|l| l.starts_with(word)).count()
}

#[test]
fn rebuilds_only_what_changed() {
    let root = Project::seed(&["131003001", "131003002", "131003003"]);
    let year = root.year();
    let out = root.root().join("out");

    let first = build(&year, &out, &[]);
    assert_eq!(count(&first, "已生成"), 4, "three tables and the report:\n{first}");

    let again = build(&year, &out, &[]);
    assert_eq!(count(&again, "已生成"), 0, "nothing changed:\n{again}");
    assert_eq!(count(&again, "未变化"), 4, "{again}");

    // A changed spec rebuilds its table and the report, nothing else.
    let spec = year.join("projects/131003002.yaml");
    fs::write(&spec, fs::read_to_string(&spec).unwrap().replace("问卷调查", "问卷调查结果")).unwrap();
    let changed = build(&year, &out, &[]);
    assert_eq!(count(&changed, "已生成"), 2, "{changed}");
    assert!(changed.contains("131003002-") && changed.contains("年度绩效目标.pdf（"), "{changed}");

    // A PDF edited or deleted by hand is detected.
    let pdfs = pdfs(&out.join("2024"));
    let table = pdfs.iter().find(|p| p.to_string_lossy().contains("131003001-")).unwrap();
    fs::write(table, b"%PDF-1.7 edited by hand").unwrap();
    let report = pdfs.iter().find(|p| p.to_string_lossy().contains("年度绩效目标")).unwrap();
    fs::remove_file(report).unwrap();
    let repaired = build(&year, &out, &[]);
    assert_eq!(count(&repaired, "已生成"), 2, "{repaired}");
    assert!(fs::read(table).unwrap().starts_with(b"%PDF") && fs::read(table).unwrap().len() > 10_000);
    assert!(report.exists());

    // --force typesets everything.
    let forced = build(&year, &out, &["--force"]);
    assert_eq!(count(&forced, "已生成"), 4, "{forced}");
}

#[test]
fn a_renamed_project_replaces_its_old_pdf() {
    let root = Project::seed(&["131003008"]);
    let year = root.year();
    let spec = year.join("projects/131003008.yaml");
    let out = root.root().join("out");
    // A file the tool did not write is never removed.
    fs::create_dir_all(out.join("2024")).unwrap();
    fs::write(out.join("2024/说明.pdf"), b"not ours").unwrap();
    build(&year, &out, &[]);
    fs::write(&spec, fs::read_to_string(&spec).unwrap().replace("name: 劳务派遣人员工资", "name: 劳务派遣人员薪酬"))
        .unwrap();
    build(&year, &out, &[]);
    let names: Vec<String> =
        pdfs(&out.join("2024")).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert!(names.iter().any(|n| n.contains("劳务派遣人员薪酬")), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("劳务派遣人员工资")), "the old name is gone: {names:?}");
    assert!(names.iter().any(|n| n == "说明.pdf"), "{names:?}");
}

#[test]
fn bench_runs_on_a_small_corpus() {
    // Benchmarks are not tests: this only checks the command works, never its timings.
    let output = jixiao(&["bench", "-n", "3"]);
    let text = text_of(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("共排版 4 个 PDF") && text.contains("峰值内存"), "{text}");
}

#[cfg(unix)]
#[test]
fn department_folders_mirror_into_out() {
    // A finance office keeps specs/<department>/<year>/; outputs go to out/<department>/<year>/.
    let project = Project::empty();
    project.copy_from_repo("specs/2024/department.yaml", "specs/131003/2024/department.yaml");
    project.copy_from_repo("specs/2024/projects/131003001.yaml", "specs/131003/2024/projects/131003001.yaml");
    let output = project.run(&["build", "-q"]);
    assert!(output.status.success(), "{}", text_of(&output));
    assert_eq!(pdfs(&project.root().join("out/131003/2024")).len(), 2, "table and report in out/131003/2024");
}

#[test]
fn two_years_that_would_share_an_output_folder_are_refused() {
    let project = Project::seed(&["131003001"]);
    let first = project.year();
    let project = Project::seed(&["131003002"]);
    let second = project.year();
    let out = tempfile::tempdir().unwrap();
    let output =
        jixiao(&["build", first.to_str().unwrap(), second.to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", text_of(&output));
    assert!(text_of(&output).contains("会输出到同一个目录"), "{}", text_of(&output));
    assert!(!out.path().join("2024").exists(), "nothing written");
}
