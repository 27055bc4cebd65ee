//! `jixiao check`: every rule has a fixture that fails because the rule exists, and the
//! seed gives exactly its known warnings.

use std::fs;

use crate::common::*;
use crate::scratch::Project;

/// Each case under tests/fixtures/rules (see [`crate::fixtures`]) is named
/// `<code>-<what>` (or `ok-<what>`): a patch over the clean year. Running `check` on it
/// must report that code (and an `ok-` case nothing at all), with exit code 1 for errors
/// and 0 for warnings. Each case is written to the same relative path in a scratch
/// folder, so messages read as if the year were in the repository.
#[test]
fn every_rule_has_a_failing_fixture() {
    let scratch = Project::empty();
    let cases = crate::fixtures::cases();
    let mut transcript = String::new();
    for (name, patch) in &cases {
        let name = name.as_str();
        let year = format!("tests/fixtures/rules/{name}/2024");
        crate::fixtures::materialize(patch.as_deref(), &scratch.root().join(&year));
        let output = scratch.run(&["check", &year, "--message-format", "short"]);
        let text = text_of(&output);
        let expected = name.split('-').next().unwrap();
        match expected {
            "ok" => {
                assert_eq!(output.status.code(), Some(0), "{name}:\n{text}");
                assert!(text.contains("0 个错误，0 个警告"), "{name} is clean:\n{text}");
            }
            code => {
                assert!(text.contains(&format!("[{code}]")), "{name} reports {code}:\n{text}");
                // Files that cannot be read are I/O problems (2); other errors 1; warnings 0.
                let exit = match code {
                    "E0109" => 2,
                    c if c.starts_with('E') => 1,
                    _ => 0,
                };
                assert_eq!(output.status.code(), Some(exit), "{name}:\n{text}");
                // Every reported problem names its file, line and column; only problems
                // with a whole file (or folder) name just the file.
                let whole_file = ["E0107", "E0109", "E0110", "E0201", "E0501", "E0502", "W0901"].contains(&code);
                for line in text.lines().filter(|l| l.contains(&format!("[{code}]"))) {
                    let (place, _) = line.split_once(": ").unwrap_or_else(|| panic!("{name}: {line}"));
                    let mut parts = place.rsplitn(3, ':');
                    let (col, row, file) = (parts.next().unwrap(), parts.next(), parts.next());
                    let at_line_col = row.is_some_and(|r| r.parse::<usize>().is_ok())
                        && col.parse::<usize>().is_ok()
                        && file.is_some_and(|f| f.starts_with(&format!("tests/fixtures/rules/{name}/2024/")));
                    assert!(at_line_col || whole_file, "{name}: located at file:line:col: {line}");
                    assert!(place.starts_with(&format!("tests/fixtures/rules/{name}/2024")), "{name}: {line}");
                }
            }
        }
        transcript.push_str(&format!("## {name} (exit {})\n{text}\n", output.status.code().unwrap_or(-1)));
    }
    // Every rule of the table has a fixture (E0108 in oversized_and_binary_files_give_clean_errors,
    // E0401 in tests/sandbox.rs, E0324 (with a PDF/A standard set) in tests/pdfa.rs, E0403 and E0405 (layout
    // limits) in tests/trust.rs; E0202, W0401 and W0402 concern forms and disks, not specs).
    for rule in jixiao::validate::rules() {
        if ["E0108", "E0111", "E0112", "E0202", "E0324", "E0401", "E0402", "E0403", "E0404", "E0405", "W0401", "W0402"]
            .contains(&rule.code)
        {
            continue;
        }
        assert!(
            cases.iter().any(|(name, _)| name.starts_with(&format!("{}-", rule.code))),
            "no fixture for {}",
            rule.code
        );
    }
    insta::assert_snapshot!("rule_fixtures", transcript);
}

#[test]
fn the_seed_gives_exactly_its_known_warnings() {
    let output = jixiao(&["check", "specs/2024"]);
    assert_eq!(output.status.code(), Some(0), "warnings only");
    insta::assert_snapshot!("seed_check", text_of(&output));
}

#[test]
fn deny_warnings_fails_on_the_seed() {
    let output = jixiao(&["check", "specs/2024", "--deny-warnings", "--quiet"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn oversized_and_binary_files_give_clean_errors() {
    let root = Project::seed(&[]);
    let year = root.year();
    let mut big = fs::read_to_string(repo().join("specs/2024/projects/131003001.yaml")).unwrap();
    big.push_str(&format!("# {}\n", "填".repeat(400_000)));
    fs::write(year.join("projects/131003001.yaml"), big).unwrap();
    fs::write(year.join("projects/131003002.yaml"), [0u8, 159, 146, 150, 0, 255, 1, 2]).unwrap();
    let truncated = fs::read_to_string(repo().join("specs/2024/projects/131003003.yaml")).unwrap();
    fs::write(year.join("projects/131003003.yaml"), &truncated.as_bytes()[..truncated.len() / 2]).unwrap();
    for command in ["check", "build"] {
        let out = root.root().join("out");
        let mut args = vec![command, year.to_str().unwrap()];
        if command == "build" {
            args.extend(["--out", out.to_str().unwrap()]);
        }
        let output = jixiao(&args);
        let text = text_of(&output);
        assert_eq!(output.status.code(), Some(1), "{command}:\n{text}");
        assert!(text.contains("E0108"), "{command}: too large:\n{text}");
        assert!(text.contains("E0107"), "{command}: not UTF-8:\n{text}");
        assert!(text.contains("131003003.yaml"), "{command}: truncated file located:\n{text}");
        assert!(!text.contains("panicked"), "{command}: no panic:\n{text}");
        assert!(
            !out.join("2024").exists()
                || pdfs(&out.join("2024")).iter().all(|p| !p.to_string_lossy().contains("年度绩效目标")),
            "no report from invalid specs"
        );
    }
}
