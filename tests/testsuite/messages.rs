//! What went wrong, said in Chinese at the right place: YAML, the command line, settings,
//! forms, templates, fonts, file names and encodings.

use std::fs;
use std::process::Command;
use std::time::Instant;

use crate::common::*;
use crate::scratch::*;

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
        let out = text_of(&output);
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
        let text = text_of(&output);
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
        let text = text_of(&output);
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
        let text = text_of(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(text.contains("jixiao.toml:1:") && text.contains(words), "{text}");
        assert_chinese(&text);
    }
    fs::remove_file(project.root().join("jixiao.toml")).unwrap();
    let output = project.run_with(&["build"], &[("SOURCE_DATE_EPOCH", "abc")]);
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("SOURCE_DATE_EPOCH") && text.contains("“abc”"), "{text}");
    // The output folder's lock is a folder: one line for the year, no blame on the specs.
    fs::create_dir_all(project.root().join("out/2024/.jixiao-lock")).unwrap();
    let output = project.run(&["build"]);
    let text = text_of(&output);
    assert!(text.contains("E0111") && text.contains(".jixiao-lock 不是普通文件"), "{text}");
    assert!(!text.contains("有错误（见上）") && !text.contains("系统错误"), "{text}");
    assert_chinese(&text);
}

#[test]
fn form_yaml_errors_are_located() {
    let project = Project::clean();
    let path = project.edit_form("form.yaml", |text| text.replace("print_empty_slots: true", "print_empty_slot: true"));
    let output = project.run(&["check", "--message-format", "short"]);
    let text = text_of(&output);
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
        let out = text_of(&output);
        assert_eq!(output.status.code(), Some(1), "{command}: {out}");
        assert!(
            located(&out, "table.typ.j2", line, "E0401") && out.contains("p.purpse") && out.contains("未定义"),
            "{command}: {out}"
        );
    }
    // And in the combined report's template, which the form inherits from the shared
    // templates: the problem points there.
    let form = path.parent().unwrap();
    fs::write(&path, fs::read_to_string(&path).unwrap().replace("{{ p.purpse }}", "{{ p.purpose }}")).unwrap();
    let report = form.parent().unwrap().join("shared/report.typ.j2");
    let text = fs::read_to_string(&report).unwrap();
    fs::write(&report, text.replacen("{{ report.cover_title }}", "{{ report.nothing_here }}", 1)).unwrap();
    let line = fs::read_to_string(&report).unwrap().lines().position(|l| l.contains("nothing_here")).unwrap() + 1;
    let output = project.run(&["check", "--message-format", "short"]);
    let out = text_of(&output);
    assert!(located(&out, "shared/report.typ.j2", line, "E0401") && out.contains("nothing_here"), "{out}");
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
    let text = text_of(&output);
    assert!(text.contains("E0404") && text.contains("Bad.otf") && !text.contains("E0401"), "{text}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_named_and_blocks_the_report() {
    use std::os::unix::ffi::OsStrExt;
    let project = Project::clean();
    let name = std::ffi::OsStr::from_bytes(b"13100300\xff.yaml");
    fs::write(project.year().join("projects").join(name), "code: \"131003002\"\n").unwrap();
    let output = project.run(&["build"]);
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("不是有效的 UTF-8 编码") && text.contains("E0109"), "{text}");
    assert!(text.contains("未生成合订本"), "{text}");
}

#[test]
fn files_in_other_encodings_are_named_for_what_they_are() {
    let clean = fs::read_to_string(repo().join("tests/fixtures/rules/ok-clean/2024/projects/131003001.yaml")).unwrap();
    let project = Project::clean();
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(clean.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    fs::write(project.spec("131003001"), utf16).unwrap();
    let output = project.run(&["check"]);
    assert!(text_of(&output).contains("E0107") && text_of(&output).contains("UTF-16"), "{}", text_of(&output));
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend(clean.as_bytes());
    fs::write(project.spec("131003001"), with_bom).unwrap();
    let output = project.run(&["check"]);
    assert_eq!(output.status.code(), Some(0), "a UTF-8 file with a BOM is fine: {}", text_of(&output));
}

#[test]
fn a_fonts_folder_without_fonts_is_said_at_once() {
    let project = Project::clean();
    fs::remove_file(project.root().join("fonts")).unwrap();
    fs::create_dir(project.root().join("fonts")).unwrap();
    let output = project.run(&["check"]);
    assert_eq!(output.status.code(), Some(2), "{}", text_of(&output));
    assert!(text_of(&output).contains("没有可用的字体文件"), "{}", text_of(&output));
}
