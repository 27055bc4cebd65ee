//! Bounded work and a closed sandbox, whatever a spec or a form does: time, memory and
//! template fuel limits, no plugins, no file outside the project read, exact amounts.

use std::fs;
use std::process::Command;
use std::time::Instant;

use crate::common::*;
use crate::scratch::*;

#[test]
fn huge_amounts_are_errors_not_panics() {
    let project = Project::seed(&["131003001", "131003002"]);
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
        let text = text_of(&output);
        assert_eq!(output.status.code(), Some(1), "{command}: {text}");
        assert!(text.contains("E0318") && text.contains("131003002.yaml:2:7"), "{command}: {text}");
    }
    assert!(
        !project.out().join(".jixiao-manifest").exists()
            || pdfs(&project.out()).iter().all(|p| !p.to_string_lossy().contains("年度"))
    );
}

#[test]
fn a_typst_loop_without_end_stops_at_the_time_limit() {
    let project = Project::clean();
    // Ten billion steps in little memory.
    project.with_template_line("#for i in range(100000) { for j in range(100000) {} }");
    let started = Instant::now();
    let output = project.run_with(&["build"], &[("JIXIAO_TIME_LIMIT", "2")]);
    assert_quick(started);
    let text = text_of(&output);
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
    let text = text_of(&output);
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
    let text = text_of(&output);
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
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("E0401") && text.contains("计算量超过上限"), "{text}");
}

#[test]
fn webassembly_plugins_are_refused() {
    for call in ["#plugin(bytes((0, 97, 115, 109, 1, 0, 0, 0)))", "#std.plugin(\"x.wasm\")"] {
        let project = Project::clean();
        project.with_template_line(call);
        let output = project.run(&["build"]);
        assert_eq!(output.status.code(), Some(1), "{}", text_of(&output));
        assert!(text_of(&output).contains("不能使用 WebAssembly 插件"), "{call}: {}", text_of(&output));
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
            let text = text_of(&output);
            assert!(text.contains("E0202") && text.contains("form.yaml"), "{kind} {command}: {text}");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_spec_linked_outside_the_tree_is_not_read_or_quoted() {
    let project = Project::clean();
    let secret = project.root().join("secret.yaml");
    fs::write(&secret, "code: \"131003002\"\nname: 机密内容 root:x:0:0\n").unwrap();
    std::os::unix::fs::symlink(&secret, project.year().join("projects/131003002.yaml")).unwrap();
    for command in ["check", "build"] {
        let output = project.run(&[command]);
        let text = text_of(&output);
        assert_eq!(output.status.code(), Some(2), "{command}: {text}");
        assert!(text.contains("131003002.yaml") && text.contains("已拒绝读取"), "{text}");
        assert!(!text.contains("机密内容") && !text.contains("root:x"), "{command} quotes nothing of it: {text}");
    }
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
    assert!(output.status.success(), "{}", text_of(&output));
}
