//! The adversarial sweep's failures, one test each (numbers as in the trust issue):
//! never print less than the spec says, never delete what is not ours, never panic or
//! hang, and say what went wrong in Chinese at the right place.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::common::*;
use crate::readback::assert_labels_on_every_page;

/// A scratch project: `specs/2024` with the given seed projects (all when empty is not
/// wanted: pass the codes), `templates` and `fonts` linked to the real ones (or a copy
/// of the seed form, see [`Project::own_form`]).
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(codes: &[&str]) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let year = dir.path().join("specs/2024");
        fs::create_dir_all(year.join("projects")).unwrap();
        fs::copy(repo().join("specs/2024/department.yaml"), year.join("department.yaml")).unwrap();
        for code in codes {
            let name = format!("projects/{code}.yaml");
            fs::copy(repo().join("specs/2024").join(&name), year.join(&name)).unwrap();
        }
        #[cfg(unix)]
        for shared in ["templates", "fonts"] {
            std::os::unix::fs::symlink(repo().join(shared), dir.path().join(shared)).unwrap();
        }
        Project { dir }
    }

    /// A project with one clean generated project `131003001` (the rule fixtures' clean case).
    fn clean() -> Project {
        let project = Project::new(&[]);
        let fixture = repo().join("tests/fixtures/rules/ok-clean/2024");
        fs::copy(fixture.join("department.yaml"), project.year().join("department.yaml")).unwrap();
        fs::copy(fixture.join("projects/131003001.yaml"), project.spec("131003001")).unwrap();
        project
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn year(&self) -> PathBuf {
        self.root().join("specs/2024")
    }

    fn spec(&self, code: &str) -> PathBuf {
        self.year().join(format!("projects/{code}.yaml"))
    }

    fn out(&self) -> PathBuf {
        self.root().join("out/2024")
    }

    /// Replaces the `templates` link by a copy of the seed form (as `hebei-2024`), to be
    /// edited; returns its folder.
    fn own_form(&self) -> PathBuf {
        fs::remove_file(self.root().join("templates")).unwrap();
        let form = self.root().join("templates/hebei-2024");
        copy_tree(&repo().join("templates/hebei-2024"), &form);
        form
    }

    /// Makes the form a copy (see [`Project::own_form`]) and edits one of its files;
    /// returns the file.
    fn edit_form(&self, file: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
        let path = self.own_form().join(file);
        fs::write(&path, edit(fs::read_to_string(&path).unwrap())).unwrap();
        path
    }

    /// Makes the form a copy and adds `line` at the end of the project template.
    fn with_template_line(&self, line: &str) {
        self.edit_form("project.typ.j2", |text| format!("{text}\n{line}\n"));
    }

    /// Runs jixiao in the project with `args`.
    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[])
    }

    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_jixiao"));
        command.args(args).current_dir(self.root()).env_remove("SOURCE_DATE_EPOCH").env_remove("JIXIAO_FONT_PATHS");
        for (k, v) in env {
            command.env(k, v);
        }
        command.output().unwrap()
    }

    /// Every file under `out/` with its bytes.
    fn out_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
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

fn log(output: &Output) -> String {
    text_of(output)
}

fn assert_no_panic(output: &Output) {
    let text = log(output);
    assert!(!text.contains("panicked") && output.status.code() != Some(101), "no panic:\n{text}");
}

/// PDFs only (the manifest and lock may be rewritten).
fn pdf_bytes(files: &[(PathBuf, Vec<u8>)]) -> Vec<&(PathBuf, Vec<u8>)> {
    files.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "pdf")).collect()
}

fn long_rows(count: usize, length: usize) -> String {
    let text = "这是一段很长的绩效指标描述，用来检验表格能否跨页而不丢字。".repeat(length / 29 + 1);
    (0..count)
        .map(|i| {
            format!(
                "  - level1: 产出指标\n    level2: 质量指标\n    name: 质量{i}\n    description: {}结尾{i}号\n    value: 100%\n    basis: 2024 年预算\n",
                text.chars().take(length).collect::<String>()
            )
        })
        .collect()
}

// 1. Clipped tables.

/// The clean project with `rows` appended to its indicators, built; its table's PDF.
fn table_with(rows: &str) -> (Project, PathBuf) {
    let project = Project::clean();
    let spec = project.spec("131003001");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(&spec, format!("{text}{rows}")).unwrap();
    let output = project.run(&["build", "-q"]);
    assert!(output.status.success(), "{}", log(&output));
    let pdf = project.out().join("131003001-测试项目.pdf");
    (project, pdf)
}

#[test]
fn long_rows_of_one_group_are_all_printed_and_labelled_on_every_page() {
    let (_project, pdf) = table_with(&long_rows(4, 250));
    let printed = squeeze(&pdf_text(&pdf));
    for i in 0..4 {
        assert!(printed.contains(&format!("结尾{i}号")), "the end of description {i} is printed");
    }
    assert!(pdf_pages(&pdf) >= 2);
    assert_labels_on_every_page(&pdf, "产出指标", "质量指标");
}

#[test]
fn five_hundred_indicators_print_five_hundred_rows() {
    let rows: String = (0..500)
        .map(|i| {
            format!(
                "  - level1: 产出指标\n    level2: 质量指标\n    name: 指标{i:03}号\n    description: 描述\n    value: 100%\n    basis: 2024 年预算\n"
            )
        })
        .collect();
    let (_project, pdf) = table_with(&rows);
    let printed = squeeze(&pdf_text(&pdf));
    for i in 0..500 {
        assert!(printed.contains(&format!("指标{i:03}号")), "row {i} is printed");
    }
    assert_labels_on_every_page(&pdf, "产出指标", "质量指标");
}

#[test]
fn a_row_taller_than_a_page_breaks_instead_of_running_off() {
    let (_project, pdf) = table_with(&long_rows(1, 4000));
    let printed = squeeze(&pdf_text(&pdf));
    assert!(printed.contains("结尾0号"));
}

#[test]
fn content_outside_the_paper_is_an_error_naming_the_project() {
    let project = Project::clean();
    project.with_template_line("#block(height: 40cm, breakable: false)[#v(1fr)底部的文字]");
    let output = project.run(&["build"]);
    let text = log(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("E0402") && text.contains("项目 131003001") && text.contains("project.typ.j2"), "{text}");
    assert!(!project.out().join("131003001-测试项目.pdf").exists(), "no clipped PDF");
}

#[test]
fn spec_text_that_cannot_fit_is_an_error_at_its_line() {
    let project = Project::clean();
    let spec = project.spec("131003001");
    let address = format!("https://example.gov.cn/{}", "abcdefghij".repeat(30));
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(&spec, text.replace("basis: 问卷调查", &format!("basis: {address}"))).unwrap();
    let line = fs::read_to_string(&spec).unwrap().lines().position(|l| l.contains("example.gov.cn")).unwrap() + 1;
    let output = project.run(&["build", "--message-format", "short"]);
    let out = log(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(located(&out, "131003001.yaml", line, "E0402") && !out.contains("project.typ.j2"), "{out}");
}

// 2. Stale PDFs: every input that shapes output is in the build key.

#[test]
fn every_input_rebuilds_what_it_shapes() {
    let project = Project::new(&["131003001", "131003002"]);
    let form = project.own_form();
    let built = |args: &[&str]| {
        let mut all = vec!["build", "--verbose"];
        all.extend(args);
        let output = project.run(&all);
        assert!(output.status.success(), "{}", log(&output));
        log(&output).lines().filter(|l| l.starts_with("已生成")).count()
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
    for template in ["table.typ.j2", "style.typ.j2", "project.typ.j2", "report.typ.j2", "footers.typ.j2"] {
        let path = form.join(template);
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

// 4. A year whose projects cannot be listed keeps its report and every PDF.

#[test]
fn a_missing_projects_folder_deletes_and_replaces_nothing() {
    let project = Project::new(&SEED_CODES);
    assert!(project.run(&["build", "-q"]).status.success());
    let before = project.out_files();
    fs::rename(project.year().join("projects"), project.year().join("projects-renamed")).unwrap();
    let output = project.run(&["build"]);
    assert_eq!(output.status.code(), Some(2), "{}", log(&output));
    assert!(log(&output).contains("E0109") && log(&output).contains("找不到 projects/ 目录"), "{}", log(&output));
    assert_eq!(pdf_bytes(&project.out_files()), pdf_bytes(&before), "every PDF as it was");
}

// 5. The manifest cannot make a build delete anything but its own outputs.

#[test]
fn manifest_lines_naming_other_files_delete_nothing() {
    let project = Project::new(&["131003008"]);
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
    assert!(output.status.success(), "{}", log(&output));
    assert!(project.spec("131003008").exists(), "the spec is still there");
    assert_eq!(fs::read_to_string(&victim_abs).unwrap(), "keep me");
}

#[test]
fn a_pdf_replaced_by_hand_is_not_pruned() {
    let project = Project::new(&["131003008"]);
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

// 6. Year paths and output folders resolve against one root.

#[test]
fn another_root_is_built_from_its_own_specs_into_its_own_out() {
    let a = Project::new(&["131003001"]);
    let b = Project::new(&["131003002"]);
    assert!(b.run(&["build", "-q"]).status.success());
    let b_before = b.out_files();
    // Inside A, build B: `specs/2024` is B's.
    let output = a.run(&["-C", b.root().to_str().unwrap(), "build", "specs/2024", "-q"]);
    assert!(output.status.success(), "{}", log(&output));
    assert_eq!(pdf_bytes(&b.out_files()), pdf_bytes(&b_before), "B's PDFs as they were");
    assert!(!a.root().join("out").exists(), "nothing written into A");
    // A's year given by absolute path while B is the root: refused, nothing touched.
    let output = a.run(&["-C", b.root().to_str().unwrap(), "build", a.year().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", log(&output));
    assert!(log(&output).contains("不在项目的 specs/ 目录中"), "{}", log(&output));
    assert_eq!(pdf_bytes(&b.out_files()), pdf_bytes(&b_before));
}

#[test]
fn an_output_folder_made_from_another_year_folder_is_refused() {
    let project = Project::new(&["131003001"]);
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
    assert_eq!(output.status.code(), Some(2), "{}", log(&output));
    assert!(log(&output).contains("E0111") && log(&output).contains("131003/2024"), "{}", log(&output));
    assert_eq!(project.out_files(), before, "nothing written or pruned");
}

// 7. bench --keep refuses a folder that is not new or empty.

#[test]
fn bench_keep_refuses_the_project_folder() {
    let project = Project::new(&["131003001"]);
    assert!(project.run(&["build", "-q"]).status.success());
    let before = project.out_files();
    let output = project.run(&["bench", "-n", "2", "--keep", "."]);
    assert_eq!(output.status.code(), Some(2), "{}", log(&output));
    assert_eq!(project.out_files(), before, "out/ untouched");
    assert!(!project.root().join("specs/131100").exists(), "no synthetic specs in the project");
}

// 8. Project files that are upper-case, dangling or looping.

#[cfg(unix)]
#[test]
fn upper_case_yaml_is_a_project_and_unreadable_ones_block_the_report() {
    let project = Project::new(&["131003001", "131003002"]);
    fs::rename(project.spec("131003001"), project.year().join("projects/131003001.YAML")).unwrap();
    let output = project.run(&["build", "-q"]);
    assert!(output.status.success(), "{}", log(&output));
    assert_eq!(pdfs(&project.out()).len(), 3, "both tables and the report");
    let before = project.out_files();
    std::os::unix::fs::symlink(project.root().join("gone.yaml"), project.year().join("projects/131003003.yaml"))
        .unwrap();
    std::os::unix::fs::symlink("131003004.yaml", project.year().join("projects/131003004.yaml")).unwrap();
    let output = project.run(&["build", "--force"]);
    let text = log(&output);
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

// 9. Output names that collide are refused before any work.

#[test]
fn colliding_output_names_overwrite_nothing() {
    let project = Project::new(&["131003001", "131003002"]);
    project.edit_form("form.yaml", |text| text.replace("project: \"{code}-{name}.pdf\"", "project: \"{year}.pdf\""));
    let output = project.run(&["build"]);
    let text = log(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("E0319") && text.contains("131003002"), "{text}");
    assert!(!text.contains("生成 3 个"), "{text}");
    let written = pdfs(&project.out());
    assert_eq!(written.len(), 1, "only the first project's PDF: {written:?}");
    assert!(squeeze(&pdf_text(&written[0])).contains("131003001"));
}

// 10. Amounts beyond exact decimals are located errors, in check and build.

#[test]
fn huge_amounts_are_errors_not_panics() {
    let project = Project::new(&["131003001", "131003002"]);
    let department = project.year().join("department.yaml");
    fs::write(&department, fs::read_to_string(&department).unwrap().replace("money_unit: 万元", "money_unit: 元"))
        .unwrap();
    for code in ["131003001", "131003002"] {
        let spec = project.spec(code);
        let text = fs::read_to_string(&spec).unwrap();
        let cost =
            text.lines().skip_while(|l| !l.contains("成本指标")).find(|l| l.contains("value:")).unwrap().to_string();
        // 5 × 10²⁴ 万元 = 5 × 10²⁸ 元 each: fits alone, overflows the total.
        fs::write(&spec, text.replace(&cost, "    value: 5000000000000000000000000 万元")).unwrap();
    }
    for command in ["check", "build"] {
        let output = project.run(&[command, "--message-format", "short"]);
        assert_no_panic(&output);
        let text = log(&output);
        assert_eq!(output.status.code(), Some(1), "{command}: {text}");
        assert!(text.contains("E0318") && text.contains("131003002.yaml:2:7"), "{command}: {text}");
    }
    assert!(
        !project.out().join(".jixiao-manifest").exists()
            || pdfs(&project.out()).iter().all(|p| !p.to_string_lossy().contains("年度"))
    );
}

// 11. Bounded work: no hang, whatever the form does.

fn assert_quick(started: Instant) {
    assert!(started.elapsed() < Duration::from_secs(60), "finished (took {:?})", started.elapsed());
}

#[test]
fn a_typst_loop_without_end_stops_at_the_time_limit() {
    let project = Project::clean();
    // Ten billion steps in little memory.
    project.with_template_line("#for i in range(100000) { for j in range(100000) {} }");
    let started = Instant::now();
    let output = project.run_with(&["build"], &[("JIXIAO_TIME_LIMIT", "2")]);
    assert_quick(started);
    let text = log(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("E0403") && text.contains("项目 131003001") && text.contains("project.typ.j2"), "{text}");
}

#[test]
fn a_typst_computation_too_large_for_memory_stops_at_the_memory_limit() {
    let project = Project::clean();
    // An array of a billion values: 16 GB.
    project.with_template_line("#for i in range(1000000000) {}");
    let started = Instant::now();
    let output = project.run_with(&["build"], &[("JIXIAO_MEMORY_LIMIT", "300")]);
    assert_quick(started);
    let text = log(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("E0405") && text.contains("项目 131003001") && text.contains("project.typ.j2"), "{text}");
    assert!(text.contains("300 MB"), "{text}");
}

#[cfg(unix)]
#[test]
fn memory_the_system_refuses_is_explained_in_chinese() {
    let project = Project::clean();
    project.with_template_line("#for i in range(1000000000) {}");
    let output = std::process::Command::new("sh")
        .args(["-c", "ulimit -v 2000000; exec \"$0\" build", env!("CARGO_BIN_EXE_jixiao")])
        .current_dir(project.root())
        .output()
        .unwrap();
    let text = log(&output);
    assert_eq!(output.status.code(), Some(1), "not an abort: {text}");
    assert!(text.contains("E0405") && text.contains("内存不足") && !text.contains("memory allocation"), "{text}");
}

#[test]
fn a_template_loop_without_end_runs_out_of_fuel() {
    let project = Project::clean();
    let loops = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}";
    project.with_template_line(loops);
    let started = Instant::now();
    let output = project.run(&["build"]);
    assert_quick(started);
    let text = log(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("E0401") && text.contains("计算量超过上限"), "{text}");
}

#[test]
fn webassembly_plugins_are_refused() {
    for call in ["#plugin(bytes((0, 97, 115, 109, 1, 0, 0, 0)))", "#std.plugin(\"x.wasm\")"] {
        let project = Project::clean();
        project.with_template_line(call);
        let output = project.run(&["build"]);
        assert_eq!(output.status.code(), Some(1), "{}", log(&output));
        assert!(log(&output).contains("不能使用 WebAssembly 插件"), "{call}: {}", log(&output));
    }
}

#[cfg(unix)]
#[test]
fn form_files_that_are_not_regular_files_are_refused_at_once() {
    for kind in ["fifo", "zero"] {
        let project = Project::clean();
        let form = project.own_form();
        let definition = form.join("form.yaml");
        fs::remove_file(&definition).unwrap();
        if kind == "fifo" {
            assert!(Command::new("mkfifo").arg(&definition).status().unwrap().success());
        } else {
            std::os::unix::fs::symlink("/dev/zero", &definition).unwrap();
        }
        for command in ["check", "build"] {
            let started = Instant::now();
            let output = project.run(&[command]);
            assert_quick(started);
            assert_no_panic(&output);
            let text = log(&output);
            assert!(text.contains("E0202") && text.contains("form.yaml"), "{kind} {command}: {text}");
        }
    }
}

// 12. Names too long for a file system: found by check, shortened by build.

#[test]
fn a_very_long_name_gives_a_shorter_file_name() {
    let project = Project::clean();
    let spec = project.spec("131003001");
    let long = "很长的项目名称".repeat(14);
    fs::write(&spec, fs::read_to_string(&spec).unwrap().replace("name: 测试项目", &format!("name: {long}"))).unwrap();
    let check = project.run(&["check", "--message-format", "short"]);
    assert!(log(&check).contains("131003001.yaml:2:7") && log(&check).contains("W0212"), "{}", log(&check));
    let output = project.run(&["build", "-q"]);
    assert!(output.status.success(), "{}", log(&output));
    let table = pdfs(&project.out()).into_iter().find(|p| p.to_string_lossy().contains("131003001-")).unwrap();
    assert!(table.file_name().unwrap().len() <= 255);
    assert!(squeeze(&pdf_text(&table)).contains(&long), "the whole name is printed");
}

// 13. A spec that links to a file outside the tree is never read.

#[cfg(unix)]
#[test]
fn a_spec_linked_outside_the_tree_is_not_read_or_quoted() {
    let project = Project::clean();
    let secret = project.root().join("secret.yaml");
    fs::write(&secret, "code: \"131003002\"\nname: 机密内容 root:x:0:0\n").unwrap();
    std::os::unix::fs::symlink(&secret, project.year().join("projects/131003002.yaml")).unwrap();
    for command in ["check", "build"] {
        let output = project.run(&[command]);
        let text = log(&output);
        assert_eq!(output.status.code(), Some(2), "{command}: {text}");
        assert!(text.contains("131003002.yaml") && text.contains("已拒绝读取"), "{text}");
        assert!(!text.contains("机密内容") && !text.contains("root:x"), "{command} quotes nothing of it: {text}");
    }
}

// 14. Chinese, located messages.

/// A message line of the form `file:line:col: 错误[CODE]`.
fn located(text: &str, file: &str, line: usize, code: &str) -> bool {
    text.lines().any(|l| l.contains(&format!("{file}:{line}:")) && l.contains(&format!("[{code}]")))
}

/// No English words from the parser or the system in what the user reads.
fn assert_chinese(text: &str) {
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

#[test]
fn yaml_mistakes_are_explained_in_chinese_at_their_place() {
    let clean = fs::read_to_string(repo().join("tests/fixtures/rules/ok-clean/2024/projects/131003001.yaml")).unwrap();
    let cases: Vec<(&str, String, usize, &str, &str)> = vec![
        ("control character", clean.replace("name: 测试项目", "name: 测\u{7}试"), 2, "E0316", "控制字符"),
        (
            "tab in a list item",
            clean.replace("    level2: 服务对象满意度指标", "\tlevel2: 服务对象满意度指标"),
            24,
            "E0101",
            "Tab",
        ),
        ("full-width indentation", clean.replace("  3: 10", "\u{3000}\u{3000}3: 10"), 5, "E0101", "全角空格"),
        (
            "deep nesting",
            format!("{clean}allow: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
            29,
            "E0106",
            "嵌套过深",
        ),
        ("binary", clean.replace("name: 测试项目", "name: !!binary gICA"), 2, "E0102", "!!binary"),
        ("type tag", clean.replace("name: 测试项目", "name: !!int 12"), 2, "E0101", "类型标记"),
        ("full-width colon", clean.replace("name: 测试项目", "name：测试项目"), 2, "E0101", "全角的“：”"),
        ("old Mac line endings", clean.replace('\n', "\r").replace("  6: 50", "  6: 一半"), 6, "E0309", "不是数字"),
    ];
    for (what, text, line, code, words) in cases {
        let project = Project::clean();
        fs::write(project.spec("131003001"), text).unwrap();
        let output = project.run(&["check", "--message-format", "short"]);
        let out = log(&output);
        assert!(located(&out, "131003001.yaml", line, code), "{what}: at line {line} with {code}:\n{out}");
        assert!(out.contains(words), "{what}: explains {words}:\n{out}");
        assert_chinese(&out);
    }
}

#[cfg(unix)]
#[test]
fn a_department_file_that_is_not_a_file_is_named_for_what_it_is() {
    for (kind, words) in [("dir", "是一个目录"), ("fifo", "命名管道"), ("dangling", "指向的文件不存在")]
    {
        let project = Project::clean();
        let department = project.year().join("department.yaml");
        fs::remove_file(&department).unwrap();
        match kind {
            "dir" => fs::create_dir(&department).unwrap(),
            "fifo" => assert!(Command::new("mkfifo").arg(&department).status().unwrap().success()),
            _ => std::os::unix::fs::symlink(project.root().join("nowhere.yaml"), &department).unwrap(),
        }
        let started = Instant::now();
        let output = project.run(&["check"]);
        assert_quick(started);
        let text = log(&output);
        assert!(text.contains("E0109") && text.contains(words) && !text.contains("缺少部门文件"), "{kind}: {text}");
        assert_eq!(output.status.code(), Some(2), "{kind}: {text}");
    }
}

#[test]
fn command_line_mistakes_are_explained_in_chinese() {
    let project = Project::clean();
    fs::write(project.root().join("a-file"), "").unwrap();
    for (args, words) in [
        (vec!["bench", "-n", "abc"], "应是一个正整数"),
        (vec!["build", "-v", "-q"], "不能同时使用"),
        (vec!["build", "-o"], "后面缺少值"),
        (vec!["build", "-o", "a-file"], "是一个文件，不是目录"),
        (vec!["build", "--time-limit", "0"], "应是不小于 1 的整数"),
        (vec!["new-year", "2101"], "应是 1990 到 2100 之间的整数"),
        (vec!["preview", "--ppi", "5"], "应是 10 到 1200 之间的数"),
        (vec!["diff", "--find-renames=0"], "应是 1 到 100 之间的整数"),
        (vec!["check", "--format", "short"], "“--message-format”"),
    ] {
        let output = project.run(&args);
        let text = log(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {text}");
        assert!(text.contains(words), "{args:?}: {text}");
        assert_chinese(&text);
    }
}

#[test]
fn settings_and_environment_mistakes_are_explained_in_chinese() {
    let project = Project::clean();
    for (toml, words) in
        [("out = \"out\n", "引号没有闭合"), (&format!("a = {}1{}\n", "[".repeat(200), "]".repeat(200)), "嵌套层数太多")]
    {
        fs::write(project.root().join("jixiao.toml"), toml).unwrap();
        let output = project.run(&["check"]);
        let text = log(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(text.contains("jixiao.toml:1:") && text.contains(words), "{text}");
        assert_chinese(&text);
    }
    fs::remove_file(project.root().join("jixiao.toml")).unwrap();
    let output = project.run_with(&["build"], &[("SOURCE_DATE_EPOCH", "abc")]);
    let text = log(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("SOURCE_DATE_EPOCH") && text.contains("“abc”"), "{text}");
    // The output folder's lock is a folder: one line for the year, no blame on the specs.
    fs::create_dir_all(project.root().join("out/2024/.jixiao-lock")).unwrap();
    let output = project.run(&["build"]);
    let text = log(&output);
    assert!(text.contains("E0111") && text.contains(".jixiao-lock 不是普通文件"), "{text}");
    assert!(!text.contains("有错误（见上）") && !text.contains("系统错误"), "{text}");
    assert_chinese(&text);
}

#[test]
fn form_yaml_errors_are_located() {
    let project = Project::clean();
    let path = project.edit_form("form.yaml", |text| text.replace("print_empty_slots: true", "print_empty_slot: true"));
    let output = project.run(&["check", "--message-format", "short"]);
    let text = log(&output);
    let line = fs::read_to_string(&path).unwrap().lines().position(|l| l.starts_with("print_empty_slot:")).unwrap() + 1;
    assert!(located(&text, "form.yaml", line, "E0202"), "{text}");
    assert!(text.contains("print_empty_slots"), "suggests the right key: {text}");
}

#[test]
fn an_undefined_variable_in_an_included_template_is_named_with_its_line() {
    let project = Project::clean();
    let path = project.edit_form("table.typ.j2", |text| text.replace("{{ p.purpose }}", "{{ p.purpse }}"));
    let line = fs::read_to_string(&path).unwrap().lines().position(|l| l.contains("p.purpse")).unwrap() + 1;
    // `check` finds it as `build` does, without typesetting.
    for command in ["build", "check"] {
        let output = project.run(&[command, "--message-format", "short"]);
        let out = log(&output);
        assert_eq!(output.status.code(), Some(1), "{command}: {out}");
        assert!(
            located(&out, "table.typ.j2", line, "E0401") && out.contains("p.purpse") && out.contains("未定义"),
            "{command}: {out}"
        );
    }
    // And in the combined report's template.
    let form = path.parent().unwrap();
    fs::write(&path, fs::read_to_string(&path).unwrap().replace("{{ p.purpse }}", "{{ p.purpose }}")).unwrap();
    let report = form.join("report.typ.j2");
    let text = fs::read_to_string(&report).unwrap();
    fs::write(&report, text.replacen("{{ report.cover_title }}", "{{ report.nothing_here }}", 1)).unwrap();
    let line = fs::read_to_string(&report).unwrap().lines().position(|l| l.contains("nothing_here")).unwrap() + 1;
    let output = project.run(&["check", "--message-format", "short"]);
    let out = log(&output);
    assert!(located(&out, "report.typ.j2", line, "E0401") && out.contains("nothing_here"), "{out}");
}

#[test]
fn a_corrupt_font_is_blamed_on_the_font() {
    let project = Project::clean();
    let fonts = project.root().join("bad-fonts");
    fs::create_dir_all(&fonts).unwrap();
    let mut data = fs::read(repo().join("fonts/NotoSansCJKsc-Regular.otf")).unwrap();
    let rename = |data: &mut Vec<u8>, from: &[u8], to: &[u8]| {
        let mut i = 0;
        while let Some(at) = data[i..].windows(from.len()).position(|w| w == from) {
            data[i + at..i + at + to.len()].copy_from_slice(to);
            i += at + to.len();
        }
    };
    let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_be_bytes).collect::<Vec<u8>>();
    rename(&mut data, b"Noto Sans CJK SC", b"Badx Sans CJK SC");
    rename(&mut data, &utf16("Noto Sans CJK SC"), &utf16("Badx Sans CJK SC"));
    let middle = data.len() / 2;
    for byte in &mut data[middle..middle + 2_000_000] {
        *byte = byte.wrapping_mul(7).wrapping_add(13);
    }
    fs::write(fonts.join("Bad.otf"), data).unwrap();
    let output = project.run(&[
        "build",
        "--font-path",
        "bad-fonts",
        "--label-font",
        "Badx Sans CJK SC",
        "--font",
        "title=Badx Sans CJK SC",
        "--message-format",
        "short",
    ]);
    let text = log(&output);
    assert!(text.contains("E0404") && text.contains("Bad.otf") && !text.contains("E0401"), "{text}");
}

// 15. What a killed build left behind is removed by the next one.

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

// Writes that fail keep the old bytes and leave no temporary file.

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
    let text = log(&output);
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

// `check` writes nothing; exit codes 0, 1 and 2.

#[test]
fn check_writes_nothing_and_exit_codes_say_what_happened() {
    let project = Project::new(&SEED_CODES);
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

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_named_and_blocks_the_report() {
    use std::os::unix::ffi::OsStrExt;
    let project = Project::clean();
    let name = std::ffi::OsStr::from_bytes(b"13100300\xff.yaml");
    fs::write(project.year().join("projects").join(name), "code: \"131003002\"\n").unwrap();
    let output = project.run(&["build"]);
    let text = log(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("不是有效的 UTF-8 编码") && text.contains("E0109"), "{text}");
    assert!(text.contains("未生成合订本"), "{text}");
}

#[test]
fn a_second_build_into_a_busy_folder_is_refused_not_interleaved() {
    let project = Project::clean();
    assert!(project.run(&["build", "-q"]).status.success());
    let before = project.out_files();
    let lock = fs::OpenOptions::new().write(true).open(project.out().join(".jixiao-lock")).unwrap();
    lock.lock().unwrap();
    let output = project.run(&["build", "--force"]);
    let text = log(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("E0111") && text.contains("另一个 jixiao 正在生成"), "{text}");
    assert_eq!(project.out_files(), before, "nothing written while the other holds the folder");
    drop(lock);
    assert!(project.run(&["build", "-q", "--force"]).status.success(), "free again");
}

#[cfg(unix)]
#[test]
fn font_folders_are_searched_within_bounds_and_never_open_a_pipe() {
    let project = Project::clean();
    let fonts = project.root().join("more-fonts");
    fs::create_dir_all(fonts.join("deeper")).unwrap();
    assert!(Command::new("mkfifo").arg(fonts.join("pipe.ttf")).status().unwrap().success());
    std::os::unix::fs::symlink(&fonts, fonts.join("deeper/loop")).unwrap();
    let started = Instant::now();
    let output = project.run(&["build", "-q", "--font-path", "more-fonts"]);
    assert_quick(started);
    assert!(output.status.success(), "{}", log(&output));
}

#[test]
fn files_in_other_encodings_are_named_for_what_they_are() {
    let clean = fs::read_to_string(repo().join("tests/fixtures/rules/ok-clean/2024/projects/131003001.yaml")).unwrap();
    let project = Project::clean();
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(clean.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    fs::write(project.spec("131003001"), utf16).unwrap();
    let output = project.run(&["check"]);
    assert!(log(&output).contains("E0107") && log(&output).contains("UTF-16"), "{}", log(&output));
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend(clean.as_bytes());
    fs::write(project.spec("131003001"), with_bom).unwrap();
    let output = project.run(&["check"]);
    assert_eq!(output.status.code(), Some(0), "a UTF-8 file with a BOM is fine: {}", log(&output));
}

#[test]
fn a_fonts_folder_without_fonts_is_said_at_once() {
    let project = Project::clean();
    fs::remove_file(project.root().join("fonts")).unwrap();
    fs::create_dir(project.root().join("fonts")).unwrap();
    let output = project.run(&["check"]);
    assert_eq!(output.status.code(), Some(2), "{}", log(&output));
    assert!(log(&output).contains("没有可用的字体文件"), "{}", log(&output));
}
