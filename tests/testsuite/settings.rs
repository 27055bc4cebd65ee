//! `jixiao.toml` and fonts by role: official fonts found by the names people write,
//! one warning for a missing one (and the committed fonts instead), `jixiao fonts`.

use std::fs;
use std::path::Path;

use crate::common::{jixiao_in, pdfs, repo, text_of};
use crate::scratch::Project;

/// A project with two seed projects, the test font `FangSong_GB2312` (Chinese name
/// 仿宋_GB2312) in `testfonts/`, and `config` as `jixiao.toml` (none when empty).
fn project(config: &str) -> Project {
    let dir = Project::seed(&["131003001", "131003002"]);
    fs::create_dir_all(dir.root().join("testfonts")).unwrap();
    fs::copy(repo().join("tests/fixtures/fonts/FangSongTest.otf"), dir.root().join("testfonts/FangSongTest.otf"))
        .unwrap();
    if !config.is_empty() {
        fs::write(dir.root().join("jixiao.toml"), config).unwrap();
    }
    dir
}

/// The base names of the fonts embedded in a PDF.
fn embedded_fonts(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut names: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(|t| t.as_name()).is_ok_and(|n| n == b"Font"))
        .filter_map(|d| d.get(b"BaseFont").and_then(|n| n.as_name()).ok())
        .map(|n| String::from_utf8_lossy(n).split_once('+').map_or(String::new(), |(_, n)| n.to_string()))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn an_official_font_is_found_by_its_chinese_name() {
    let dir = project("font_paths = [\"testfonts\"]\n\n[fonts]\nbody = [\"仿宋_GB2312\"]\n");
    let output = jixiao_in(dir.root(), &["build", "-q"]);
    let text = text_of(&output);
    assert!(output.status.success() && !text.contains("警告：找不到"), "{text}");
    let table = &pdfs(&dir.root().join("out/2024"))[0];
    let fonts = embedded_fonts(table);
    assert!(fonts.iter().any(|f| f.starts_with("FangSongGB2312-Test")), "{fonts:?}");
    // Its English name and its alias work too.
    for written in ["FangSong_GB2312", "fangsong gb2312"] {
        let dir = project(&format!("font_paths = [\"testfonts\"]\n[fonts]\nbody = [\"{written}\"]\n"));
        let output = jixiao_in(dir.root(), &["build", "-q"]);
        assert!(!text_of(&output).contains("找不到"), "{written}: {}", text_of(&output));
    }
}

#[test]
fn a_missing_official_font_warns_once_and_the_committed_fonts_print() {
    let plain = project("");
    assert!(jixiao_in(plain.root(), &["build", "-q"]).status.success());
    let dir = project("[fonts]\nbody = [\"仿宋_GB2312\"]\ntitle = [\"方正小标宋简体\"]\nlabel = [\"黑体\"]\n");
    let output = jixiao_in(dir.root(), &["build"]);
    let text = text_of(&output);
    assert!(output.status.success(), "{text}");
    for family in ["仿宋_GB2312", "方正小标宋简体", "黑体"] {
        assert_eq!(text.matches(&format!("指定的字体“{family}”")).count(), 1, "one warning for {family}:\n{text}");
    }
    assert!(text.contains("system_fonts = true"), "{text}");
    // Exactly what a build without the file makes.
    let (ours, theirs) = (pdfs(&dir.root().join("out/2024")), pdfs(&plain.root().join("out/2024")));
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(&theirs) {
        assert!(fs::read(a).unwrap() == fs::read(b).unwrap(), "{} differs", a.display());
    }
}

#[test]
fn the_command_line_overrides_the_file_and_rebuilds() {
    let dir = project("font_paths = [\"testfonts\"]\n[fonts]\nbody = [\"仿宋_GB2312\"]\n");
    assert!(jixiao_in(dir.root(), &["build", "-q"]).status.success());
    // Same inputs: nothing to do. Another body font on the command line: every table again.
    let again = text_of(&jixiao_in(dir.root(), &["build"]));
    assert!(again.contains("生成 0 个"), "{again}");
    let output = jixiao_in(dir.root(), &["build", "--body-font", "Noto Serif CJK SC"]);
    let text = text_of(&output);
    assert!(text.contains("生成 3 个"), "{text}");
    let table = &pdfs(&dir.root().join("out/2024"))[0];
    assert!(!embedded_fonts(table).iter().any(|f| f.starts_with("FangSong")), "{:?}", embedded_fonts(table));
}

#[test]
fn settings_errors_are_located_with_a_suggestion() {
    let dir = project("out = \"pdf\"\nfromats = [\"pdf\"]\n");
    let output = jixiao_in(dir.root(), &["build"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text_of(&output).contains("jixiao.toml:2:1: 没有“fromats”这个设置。您是不是想写“formats”？"));
    let dir = project("[fonts]\ntitel = [\"方正小标宋简体\"]\n");
    let text = text_of(&jixiao_in(dir.root(), &["check"]));
    assert!(text.contains("jixiao.toml:2:1: 没有“titel”这个字体角色。您是不是想写“title”？"), "{text}");
}

#[test]
fn the_output_folder_and_default_form_come_from_the_file() {
    let dir = project("out = \"pdf\"\nform = \"hebei-2024\"\n");
    let output = jixiao_in(dir.root(), &["build", "-q"]);
    assert!(output.status.success(), "{}", text_of(&output));
    assert_eq!(pdfs(&dir.root().join("pdf/2024")).len(), 3);
    assert!(!dir.root().join("out").exists());
    let dir = project("form = \"no-such-form\"\n");
    let text = text_of(&jixiao_in(dir.root(), &["check"]));
    assert!(text.contains("找不到表样 `no-such-form`"), "{text}");
}

#[test]
fn fonts_lists_families_with_their_roles_and_checks_coverage() {
    let dir = project("font_paths = [\"testfonts\"]\n[fonts]\nbody = [\"仿宋_GB2312\"]\n");
    let output = jixiao_in(dir.root(), &["fonts"]);
    let text = text_of(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("FangSong_GB2312（又名 仿宋_GB2312）：常规"), "{text}");
    assert!(text.contains("用于 hebei-2024 的 body"), "{text}");
    assert!(
        text.contains("Noto Sans CJK SC：常规，项目 fonts/；用于 hebei-2024 的 label、hebei-2024 的 title"),
        "{text}"
    );
    // The test font has a few dozen characters: the rest are reported where first used.
    let output = jixiao_in(dir.root(), &["fonts", "--check"]);
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("hebei-2024 的 body（FangSong_GB2312）缺"), "{text}");
    assert!(text.contains("specs/2024/department.yaml:10：编制"), "{text}");
    assert!(text.contains("hebei-2024 的 title（Noto Sans CJK SC）：不缺字"), "{text}");
    assert!(!text.contains("“唐”"), "the test font has 唐: {text}");
}

#[test]
fn a_bold_face_is_used_where_a_font_has_one_and_a_stroke_where_not() {
    use jixiao::pipeline::{FontPreferences, prepare, project_source};
    let typesetter = crate::common::typesetter();
    let workspace = jixiao::workspace::Workspace::at(&repo());
    let prepared = prepare(&workspace, &repo().join("specs/2024"), &typesetter);
    let stroked = project_source(&prepared, "131003001", &FontPreferences::default(), false).unwrap();
    assert!(
        stroked.contains("#let heavy(size, body) = text(font: title-fonts, size: size, stroke: 0.03em + black, body)")
    );
    let bold = FontPreferences { bold: ["noto sans cjk sc".to_string()].into(), ..FontPreferences::default() };
    let source = project_source(&prepared, "131003001", &bold, false).unwrap();
    assert!(source.contains("#let heavy(size, body) = text(font: title-fonts, size: size, weight: \"bold\", body)"));
}
