//! What a build writes and deletes: every input that shapes a PDF rebuilds it, nothing
//! that is not the build's own is deleted or overwritten, a failed or refused build
//! keeps the old PDFs, and the exit code says what happened.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use crate::scratch::*;

/// PDFs only (the manifest and lock may be rewritten).
fn pdf_bytes(files: &[(PathBuf, Vec<u8>)]) -> Vec<&(PathBuf, Vec<u8>)> {
    files.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "pdf")).collect()
}

#[test]
fn every_input_rebuilds_what_it_shapes() {
    let project = Project::seed(&["131003001", "131003002"]);
    let form = project.own_form();
    let built = |args: &[&str]| {
        let mut all = vec!["build", "--verbose"];
        all.extend(args);
        let output = project.run(&all);
        assert!(output.status.success(), "{}", text_of(&output));
        text_of(&output).lines().filter(|l| l.starts_with("已生成")).count()
    };
    assert_eq!(built(&[]), 3, "two tables and the report");
    assert_eq!(built(&[]), 0, "nothing changed");
    let edit = |path: &Path, from: &str, to: &str| {
        let text = fs::read_to_string(path).unwrap();
        assert!(text.contains(from), "{} has {from}", path.display());
        fs::write(path, text.replacen(from, to, 1)).unwrap();
    };
    edit(&form.join("form.yaml"), "code: 项目编码", "code: 项目代码");
    assert_eq!(built(&[]), 3, "a label in form.yaml");
    // The form's own template, and those it inherits from the shared folder.
    for template in ["table.typ.j2", "style.typ.j2", "project.typ.j2", "report.typ.j2", "footers.typ.j2"] {
        let own = form.join(template);
        let path = if own.exists() { own } else { form.parent().unwrap().join("shared").join(template) };
        fs::write(&path, format!("{}\n{{# {template} changed #}}\n", fs::read_to_string(&path).unwrap())).unwrap();
        assert_eq!(built(&[]), 3, "{template}");
    }
    fs::write(form.join("logo.txt"), "any file of the form").unwrap();
    assert_eq!(built(&[]), 3, "a new file in the form folder");
    edit(&project.year().join("department.yaml"), "money_unit: 万元", "money_unit: 万元 ");
    assert_eq!(built(&[]), 3, "department.yaml");
    edit(&project.spec("131003002"), "问卷调查", "问卷调查结果");
    assert_eq!(built(&[]), 2, "one project: its table and the report");
    assert_eq!(built(&["--label-font", "Noto Serif CJK SC"]), 3, "font options");
    // A folder without fonts changes nothing; one with a font (found first for its family
    // or not) is another set of font files.
    let extra = project.root().join("extra-fonts");
    fs::create_dir_all(&extra).unwrap();
    fs::copy(repo().join("fonts/OFL.txt"), extra.join("OFL.txt")).unwrap();
    let extra_arg = extra.to_str().unwrap();
    assert_eq!(built(&["--label-font", "Noto Serif CJK SC", "--font-path", extra_arg]), 0, "no font in it");
    #[cfg(unix)]
    std::os::unix::fs::symlink(repo().join("fonts/NotoSansCJKsc-Regular.otf"), extra.join("Sans.otf")).unwrap();
    assert_eq!(built(&["--label-font", "Noto Serif CJK SC", "--font-path", extra_arg]), 3, "a font folder with a font");
}

#[test]
fn a_missing_projects_folder_deletes_and_replaces_nothing() {
    let project = Project::seed(&SEED_CODES);
    assert!(project.run(&["build", "-q"]).status.success());
    let before = project.out_files();
    fs::rename(project.year().join("projects"), project.year().join("projects-renamed")).unwrap();
    let output = project.run(&["build"]);
    assert_eq!(output.status.code(), Some(2), "{}", text_of(&output));
    assert!(
        text_of(&output).contains("E0109") && text_of(&output).contains("找不到 projects/ 目录"),
        "{}",
        text_of(&output)
    );
    assert_eq!(pdf_bytes(&project.out_files()), pdf_bytes(&before), "every PDF as it was");
}

#[test]
fn manifest_lines_naming_other_files_delete_nothing() {
    let project = Project::seed(&["131003008"]);
    assert!(project.run(&["build", "-q"]).status.success());
    let victim_abs = project.root().join("victim.txt");
    fs::write(&victim_abs, "keep me").unwrap();
    let manifest = project.out().join(".jixiao-manifest");
    let mut text = fs::read_to_string(&manifest).unwrap();
    let sha = "0".repeat(64);
    text.push_str(&format!("../../specs/2024/projects/131003008.yaml\tk\t{sha}\t-\n"));
    text.push_str(&format!("{}\tk\t{sha}\t-\n", victim_abs.display()));
    text.push_str(&format!("../../victim.txt\tk\t{sha}\t-\n"));
    fs::write(&manifest, text).unwrap();
    let output = project.run(&["build", "--force", "-q"]);
    assert!(output.status.success(), "{}", text_of(&output));
    assert!(project.spec("131003008").exists(), "the spec is still there");
    assert_eq!(fs::read_to_string(&victim_abs).unwrap(), "keep me");
}

#[test]
fn a_pdf_replaced_by_hand_is_not_pruned() {
    let project = Project::seed(&["131003008"]);
    assert!(project.run(&["build", "-q"]).status.success());
    let old = project.out().join("131003008-劳务派遣人员工资.pdf");
    fs::write(&old, b"%PDF-1.7 the clerk's own version").unwrap();
    let spec = project.spec("131003008");
    fs::write(&spec, fs::read_to_string(&spec).unwrap().replace("name: 劳务派遣人员工资", "name: 劳务派遣人员薪酬"))
        .unwrap();
    assert!(project.run(&["build", "-q"]).status.success());
    assert!(project.out().join("131003008-劳务派遣人员薪酬.pdf").exists());
    assert_eq!(fs::read(&old).unwrap(), b"%PDF-1.7 the clerk's own version", "not ours any more: kept");
}

#[test]
fn another_root_is_built_from_its_own_specs_into_its_own_out() {
    let a = Project::seed(&["131003001"]);
    let b = Project::seed(&["131003002"]);
    assert!(b.run(&["build", "-q"]).status.success());
    let b_before = b.out_files();
    // Inside A, build B: `specs/2024` is B's.
    let output = a.run(&["-C", b.root().to_str().unwrap(), "build", "specs/2024", "-q"]);
    assert!(output.status.success(), "{}", text_of(&output));
    assert_eq!(pdf_bytes(&b.out_files()), pdf_bytes(&b_before), "B's PDFs as they were");
    assert!(!a.root().join("out").exists(), "nothing written into A");
    // A's year given by absolute path while B is the root: refused, nothing touched.
    let output = a.run(&["-C", b.root().to_str().unwrap(), "build", a.year().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", text_of(&output));
    assert!(text_of(&output).contains("不在项目的 specs/ 目录中"), "{}", text_of(&output));
    assert_eq!(pdf_bytes(&b.out_files()), pdf_bytes(&b_before));
}

#[test]
fn an_output_folder_made_from_another_year_folder_is_refused() {
    let project = Project::seed(&["131003001"]);
    assert!(project.run(&["build", "-q"]).status.success());
    // As if out/2024 had been made from specs/131003/2024.
    let manifest = project.out().join(".jixiao-manifest");
    let text = fs::read_to_string(&manifest).unwrap();
    assert!(text.contains("# source: 2024\n"), "{text}");
    fs::write(&manifest, text.replace("# source: 2024\n", "# source: 131003/2024\n")).unwrap();
    let spec = project.spec("131003001");
    fs::write(&spec, fs::read_to_string(&spec).unwrap().replace("日常工作", "日常工作台账")).unwrap();
    let before = project.out_files();
    let output = project.run(&["build"]);
    assert_eq!(output.status.code(), Some(2), "{}", text_of(&output));
    assert!(text_of(&output).contains("E0111") && text_of(&output).contains("131003/2024"), "{}", text_of(&output));
    assert_eq!(project.out_files(), before, "nothing written or pruned");
}

#[test]
fn bench_keep_refuses_the_project_folder() {
    let project = Project::seed(&["131003001"]);
    assert!(project.run(&["build", "-q"]).status.success());
    let before = project.out_files();
    let output = project.run(&["bench", "-n", "2", "--keep", "."]);
    assert_eq!(output.status.code(), Some(2), "{}", text_of(&output));
    assert_eq!(project.out_files(), before, "out/ untouched");
    assert!(!project.root().join("specs/131100").exists(), "no synthetic specs in the project");
}

#[cfg(unix)]
#[test]
fn upper_case_yaml_is_a_project_and_unreadable_ones_block_the_report() {
    let project = Project::seed(&["131003001", "131003002"]);
    fs::rename(project.spec("131003001"), project.year().join("projects/131003001.YAML")).unwrap();
    let output = project.run(&["build", "-q"]);
    assert!(output.status.success(), "{}", text_of(&output));
    assert_eq!(pdfs(&project.out()).len(), 3, "both tables and the report");
    let before = project.out_files();
    std::os::unix::fs::symlink(project.root().join("gone.yaml"), project.year().join("projects/131003003.yaml"))
        .unwrap();
    std::os::unix::fs::symlink("131003004.yaml", project.year().join("projects/131003004.yaml")).unwrap();
    let output = project.run(&["build", "--force"]);
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("131003003.yaml") && text.contains("指向的文件不存在"), "{text}");
    assert!(text.contains("131003004.yaml") && text.contains("循环"), "{text}");
    assert!(text.contains("未生成合订本"), "{text}");
    let after = project.out_files();
    let report = |files: &[(PathBuf, Vec<u8>)]| {
        files.iter().find(|(p, _)| p.to_string_lossy().contains("年度绩效目标")).cloned()
    };
    assert_eq!(report(&after), report(&before), "the report is kept");
    assert_eq!(pdfs(&project.out()).len(), 3, "nothing pruned");
}

#[test]
fn colliding_output_names_overwrite_nothing() {
    let project = Project::seed(&["131003001", "131003002"]);
    project.edit_form("form.yaml", |text| text.replace("project: \"{code}-{name}.pdf\"", "project: \"{year}.pdf\""));
    let output = project.run(&["build"]);
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("E0319") && text.contains("131003002"), "{text}");
    assert!(!text.contains("生成 3 个"), "{text}");
    let written = pdfs(&project.out());
    assert_eq!(written.len(), 1, "only the first project's PDF: {written:?}");
    assert!(squeeze(&pdf_text(&written[0])).contains("131003001"));
}

#[test]
fn a_very_long_name_gives_a_shorter_file_name() {
    let project = Project::clean();
    let spec = project.spec("131003001");
    let long = "很长的项目名称".repeat(14);
    fs::write(&spec, fs::read_to_string(&spec).unwrap().replace("name: 测试项目", &format!("name: {long}"))).unwrap();
    let check = project.run(&["check", "--message-format", "short"]);
    assert!(text_of(&check).contains("131003001.yaml:2:7") && text_of(&check).contains("W0212"), "{}", text_of(&check));
    let output = project.run(&["build", "-q"]);
    assert!(output.status.success(), "{}", text_of(&output));
    let table = pdfs(&project.out()).into_iter().find(|p| p.to_string_lossy().contains("131003001-")).unwrap();
    assert!(table.file_name().unwrap().len() <= 255);
    assert!(squeeze(&pdf_text(&table)).contains(&long), "the whole name is printed");
}

#[test]
fn a_killed_builds_temporary_files_are_removed() {
    let project = Project::clean();
    assert!(project.run(&["build", "-q"]).status.success());
    let leftover = project.out().join(".jixiao-AbC123.tmp");
    fs::write(&leftover, b"").unwrap();
    fs::write(project.out().join("notes.tmp"), b"the clerk's").unwrap();
    assert!(project.run(&["build", "-q", "--force"]).status.success());
    assert!(!leftover.exists(), "the empty temporary file is gone");
    assert!(project.out().join("notes.tmp").exists(), "other files are kept");
}

#[cfg(unix)]
#[test]
fn a_write_that_fails_keeps_the_old_pdf_and_leaves_nothing() {
    let project = Project::clean();
    assert!(project.run(&["build", "-q"]).status.success());
    let before = project.out_files();
    let spec = project.spec("131003001");
    fs::write(&spec, fs::read_to_string(&spec).unwrap().replace("问卷调查", "问卷调查结果")).unwrap();
    // Files larger than 8 KiB cannot be written (SIGXFSZ ignored, so write fails with EFBIG).
    let binary = env!("CARGO_BIN_EXE_jixiao");
    let output = Command::new("bash")
        .args(["-c", &format!("trap '' XFSZ; ulimit -f 16; exec '{binary}' build")])
        .current_dir(project.root())
        .output()
        .unwrap();
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("E0112") && text.contains("无法写入 PDF") && !text.contains(".jixiao-"), "{text}");
    assert_chinese(&text);
    assert_eq!(pdf_bytes(&project.out_files()), pdf_bytes(&before), "the old PDFs, byte for byte");
    let leftovers: Vec<_> = fs::read_dir(project.out())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn check_writes_nothing_and_exit_codes_say_what_happened() {
    let project = Project::seed(&SEED_CODES);
    let listing = |root: &Path| {
        let mut all = Vec::new();
        let mut pending = vec![root.to_path_buf()];
        while let Some(dir) = pending.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let entry = entry.unwrap();
                let path = entry.path();
                if entry.file_type().unwrap().is_dir() {
                    pending.push(path.clone());
                }
                all.push((path.clone(), fs::symlink_metadata(&path).unwrap().modified().unwrap()));
            }
        }
        all.sort();
        all
    };
    let before = listing(project.root());
    assert_eq!(project.run(&["check", "-q"]).status.code(), Some(0), "warnings only: 0");
    assert_eq!(listing(project.root()), before, "check wrote nothing");
    assert_eq!(project.run(&["check", "-q", "--deny-warnings"]).status.code(), Some(1));
    assert_eq!(project.run(&["nonsense"]).status.code(), Some(2), "usage");
    let spec = project.spec("131003003");
    fs::write(&spec, fs::read_to_string(&spec).unwrap().replace("  6: 50", "  6: 5")).unwrap();
    assert_eq!(project.run(&["check", "-q"]).status.code(), Some(1), "a spec error");
    fs::write(&spec, [0xff, 0xfe, 0x00]).unwrap();
    assert_eq!(project.run(&["check", "-q"]).status.code(), Some(1), "not UTF-8 is a spec error");
    fs::remove_dir_all(project.year().join("projects")).unwrap();
    assert_eq!(project.run(&["check", "-q"]).status.code(), Some(2), "a folder that cannot be read");
}

#[test]
fn a_second_build_into_a_busy_folder_is_refused_not_interleaved() {
    let project = Project::clean();
    assert!(project.run(&["build", "-q"]).status.success());
    let before = project.out_files();
    let lock = fs::OpenOptions::new().write(true).open(project.out().join(".jixiao-lock")).unwrap();
    lock.lock().unwrap();
    let output = project.run(&["build", "--force"]);
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("E0111") && text.contains("另一个 jixiao 正在生成"), "{text}");
    assert_eq!(project.out_files(), before, "nothing written while the other holds the folder");
    drop(lock);
    assert!(project.run(&["build", "-q", "--force"]).status.success(), "free again");
}
