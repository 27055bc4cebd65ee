//! A year nothing changed in is done from what the last build remembered
//! (`.jixiao-unchanged`): nothing typeset, its warnings counted (shown with `--verbose`,
//! the same as the build that made them); any change to an input
//! (a spec, a stray file, the form, the fonts, the settings) or to an output makes it
//! build again.

use std::fs;
use std::process::Output;

use crate::common::text_of;
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
    let form = dir.own_forms_with("central-evaluation-2020");
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

#[test]
fn a_file_left_alone_is_trusted_by_its_stat_and_any_rewrite_is_still_seen() {
    let dir = project();
    let root = dir.root();
    let spec = root.join("specs/2024/projects/131003002.yaml");
    // Files changed just before a build looks are read again (their times cannot tell a
    // change in the same instant); these are left alone long enough to be trusted.
    std::thread::sleep(std::time::Duration::from_millis(2200));
    assert!(dir.run(&["build", "-q"]).status.success());
    let record_path = root.join("out/2024/.jixiao-unchanged");
    let record: serde_json::Value = serde_json::from_str(&fs::read_to_string(&record_path).unwrap()).unwrap();
    let files = record["files"].as_array().unwrap();
    let entry = files.iter().find(|f| f["path"].as_str().unwrap().ends_with("131003002.yaml")).unwrap();
    assert!(entry["stat"].is_object() && entry["digest"].as_str().unwrap().len() == 64, "{entry}");
    // Trusted, not read: a record whose digest lies is believed while the stat is the same.
    let digest = entry["digest"].as_str().unwrap();
    let lying = fs::read_to_string(&record_path).unwrap().replace(digest, &"0".repeat(64));
    fs::write(&record_path, &lying).unwrap();
    let trusted = dir.run(&["build"]);
    assert_eq!(built(&trusted), 0, "{}", text_of(&trusted));
    fs::write(&record_path, serde_json::to_string(&record).unwrap()).unwrap();
    // Rewritten with the same size and its old modification time put back (as `cp -p` or
    // an unpacked archive do): the change time still tells, and the year is built again.
    let before = fs::metadata(&spec).unwrap().modified().unwrap();
    let text = fs::read_to_string(&spec).unwrap();
    assert!(text.contains("问卷调查"));
    fs::write(&spec, text.replace("问卷调查", "调查问卷")).unwrap();
    fs::File::options().write(true).open(&spec).unwrap().set_modified(before).unwrap();
    assert_eq!(fs::metadata(&spec).unwrap().len(), text.len() as u64);
    let output = dir.run(&["build"]);
    assert!(output.status.success(), "{}", text_of(&output));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("已生成 out/2024/131003002-"), "{said}");
    let again = dir.run(&["build"]);
    assert_eq!(built(&again), 0, "{}", text_of(&again));
}

#[cfg(unix)]
#[test]
fn years_built_a_batch_at_a_time_are_said_in_order_with_those_found_unchanged() {
    // Eight departments of the seed's eight projects: more than one batch of years (48
    // projects each), before and after the edits.
    let project = Project::empty();
    let departments: Vec<String> = (1..=8).map(|k| format!("13100{k}")).collect();
    let codes =
        ["131003001", "131003002", "131003003", "131003004", "131003005", "131003006", "131003007", "131003008"];
    for department in &departments {
        project.copy_from_repo("specs/2024/department.yaml", &format!("specs/{department}/2024/department.yaml"));
        for code in codes {
            project.copy_from_repo(
                &format!("specs/2024/projects/{code}.yaml"),
                &format!("specs/{department}/2024/projects/{code}.yaml"),
            );
        }
    }
    let first = project.run(&["build"]);
    assert!(first.status.success(), "{}", text_of(&first));
    assert_eq!(built(&first), 8 * 9, "{}", text_of(&first));
    let pdfs = || -> Vec<(std::path::PathBuf, Vec<u8>)> {
        project.out_files().into_iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "pdf")).collect()
    };
    let first_pdfs = pdfs();
    // Every department but one edited: the one found unchanged lies among the first
    // batch's years, the last edited one is in a batch of its own.
    let edited = |d: &str| d != "131004";
    for department in departments.iter().filter(|d| edited(d)) {
        let spec = project.root().join(format!("specs/{department}/2024/projects/131003002.yaml"));
        fs::write(&spec, fs::read_to_string(&spec).unwrap().replace("问卷调查", "问卷")).unwrap();
    }
    let second = project.run(&["build"]);
    assert!(second.status.success(), "{}", text_of(&second));
    let said = String::from_utf8_lossy(&second.stdout).into_owned();
    let years: Vec<&str> = said.lines().filter(|l| l.contains("/2024：生成")).collect();
    let expected: Vec<String> = departments
        .iter()
        .map(|d| {
            let (built, unchanged) = if edited(d) { (2, 7) } else { (0, 9) };
            format!("specs/{d}/2024：生成 {built} 个，未变化 {unchanged} 个，失败 0 个，跳过 0 个")
        })
        .collect();
    assert_eq!(years, expected, "{said}");
    // Every other PDF is as the first build wrote it.
    let changed: Vec<_> = pdfs()
        .into_iter()
        .zip(first_pdfs)
        .filter(|(now, before)| now != before)
        .map(|(now, _)| now.0.to_string_lossy().into_owned())
        .collect();
    assert_eq!(changed.len(), 7 * 2, "{changed:?}");
    assert!(changed.iter().all(|p| !p.contains("131004/")), "{changed:?}");
}
