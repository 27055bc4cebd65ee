//! A year nothing changed in is done from what the last build remembered
//! (`.jixiao-unchanged`): nothing typeset, its warnings counted (shown with `--verbose`,
//! the same as the build that made them); any change to an input
//! (a spec, a stray file, the form, the fonts, the settings) or to an output makes it
//! build again.

use std::fs;
use std::process::Output;

use crate::common::{copy_tree, repo, text_of};
use crate::scratch::Project;

/// A project with three seed projects and its own copy of the seed's form (one test edits it).
fn project() -> Project {
    let project = Project::seed(&["131003001", "131003002", "131003003"]);
    project.own_form();
    project
}

/// The problems a build printed (standard error).
fn problems(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn built(output: &Output) -> usize {
    String::from_utf8_lossy(&output.stdout).lines().filter(|l| l.starts_with("已生成")).count()
}

#[test]
fn an_unchanged_year_counts_its_warnings_without_typesetting() {
    let dir = project();
    let first = dir.run(&["build"]);
    assert!(first.status.success(), "{}", text_of(&first));
    assert!(dir.root().join("out/2024/.jixiao-unchanged").is_file());
    for format in [&["build"][..], &["build", "--message-format", "short"]] {
        let forced = dir.run(&[format, &["--force"]].concat());
        let again = dir.run(format);
        assert_eq!(built(&again), 0, "{}", text_of(&again));
        // Shown by the build that made the year, its warnings are counted, not shown again.
        assert!(!problems(&again).contains("W0206"), "{}", problems(&again));
        assert!(problems(&forced).contains("W0206"), "{}", problems(&forced));
        let said = String::from_utf8_lossy(&again.stdout).into_owned();
        let total = said.lines().find_map(|l| l.strip_prefix("完成：0 个错误，")).unwrap_or_default().to_string();
        let held = said.lines().find_map(|l| l.strip_prefix("另有 ")).unwrap_or_default().to_string();
        assert!(
            total.split(' ').next().is_some_and(|n| held.starts_with(&format!("{n} 个警告"))),
            "every remembered warning counted and the way to see them said:\n{said}"
        );
        assert!(held.contains("jixiao check") && held.contains("--verbose"), "{said}");
        // Asked for, the same warnings, rendered the same way.
        let verbose = dir.run(&[format, &["--verbose"]].concat());
        assert_eq!(built(&verbose), 0, "{}", text_of(&verbose));
        assert_eq!(problems(&verbose), problems(&forced), "the same warnings, rendered the same way");
    }
    // The problems do come from the record: nothing was parsed.
    let record = dir.root().join("out/2024/.jixiao-unchanged");
    let text = fs::read_to_string(&record).unwrap();
    assert!(text.contains("没有计量单位"));
    fs::write(&record, text.replace("没有计量单位", "没有计量单位（记录）")).unwrap();
    assert!(problems(&dir.run(&["build", "--verbose"])).contains("没有计量单位（记录）"));
}

#[test]
fn every_kind_of_change_builds_the_year_again() {
    let dir = project();
    let root = dir.root();
    assert!(dir.run(&["build", "-q"]).status.success());
    let spec = root.join("specs/2024/projects/131003002.yaml");
    type Edit<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let edits: Vec<Edit> = vec![
        (
            "a spec",
            Box::new(|| fs::write(&spec, fs::read_to_string(&spec).unwrap().replace("问卷调查", "问卷")).unwrap()),
        ),
        ("a stray file", Box::new(|| fs::write(root.join("specs/2024/projects/notes.txt"), "x").unwrap())),
        (
            "the form",
            Box::new(|| {
                let style = root.join("templates/shared/style.typ.j2");
                fs::write(&style, format!("{}\n", fs::read_to_string(&style).unwrap())).unwrap()
            }),
        ),
        ("a deleted PDF", Box::new(|| fs::remove_file(root.join("out/2024/131003001-政务服务中心工作.pdf")).unwrap())),
        (
            "the settings",
            Box::new(|| fs::write(root.join("jixiao.toml"), "[fonts]\nbody = [\"Noto Sans CJK SC\"]\n").unwrap()),
        ),
    ];
    for (what, edit) in edits {
        edit();
        let output = dir.run(&["build"]);
        assert!(output.status.success(), "{what}: {}", text_of(&output));
        assert!(built(&output) > 0 || problems(&output).contains("W0901"), "{what}: {}", text_of(&output));
        if what == "a stray file" {
            assert!(
                problems(&output).contains("W0901") && problems(&output).contains("notes.txt"),
                "{}",
                text_of(&output)
            );
        }
        // Then it is unchanged again, its problems still there when asked.
        let again = dir.run(&["build", "--verbose"]);
        assert_eq!(built(&again), 0, "{what}: {}", text_of(&again));
        assert_eq!(problems(&again), problems(&dir.run(&["check"])), "{what}");
    }
}

#[test]
fn a_damaged_record_is_ignored() {
    let dir = project();
    assert!(dir.run(&["build", "-q"]).status.success());
    fs::write(dir.root().join("out/2024/.jixiao-unchanged"), "{ not json").unwrap();
    let output = dir.run(&["build"]);
    assert!(output.status.success(), "{}", text_of(&output));
    assert!(problems(&output).contains("W0206"));
    assert!(dir.run(&["build", "-q"]).status.success());
}

#[test]
fn a_year_with_a_period_is_unchanged_until_its_actuals_or_their_form_change() {
    let dir = Project::seed(&["131003001"]);
    dir.own_form();
    let form = dir.root().join("templates/central-evaluation-2020");
    copy_tree(&repo().join("templates/central-evaluation-2020"), &form);
    for name in ["period.yaml", "131003001.yaml"] {
        let path = format!("specs/2024/actuals/year-end/{name}");
        dir.copy_from_repo(&format!("specs/example/2024/actuals/year-end/{name}"), &path);
    }
    assert!(dir.run(&["build", "-q"]).status.success());
    let unchanged = || {
        let again = dir.run(&["build"]);
        assert!(again.status.success(), "{}", text_of(&again));
        assert_eq!(built(&again), 0, "{}", text_of(&again));
        assert!(!problems(&again).contains("W0"), "remembered, not printed again: {}", problems(&again));
    };
    unchanged();
    let actuals = dir.root().join("specs/2024/actuals/year-end/131003001.yaml");
    fs::write(&actuals, fs::read_to_string(&actuals).unwrap().replace("actual: 12650 件", "actual: 12651 件")).unwrap();
    let output = dir.run(&["build"]);
    assert_eq!(built(&output), 2, "its table and the period's report: {}", text_of(&output));
    unchanged();
    let table = form.join("table.typ.j2");
    fs::write(&table, format!("{}\n", fs::read_to_string(&table).unwrap())).unwrap();
    let output = dir.run(&["build"]);
    assert_eq!(built(&output), 2, "the period's form is an input: {}", text_of(&output));
    unchanged();
}
