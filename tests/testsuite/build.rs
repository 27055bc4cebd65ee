//! End-to-end: the real binary builds the real 2024 specs into real PDFs.

use std::fs;

use crate::common::*;
use crate::scratch::Project;

#[test]
fn builds_every_pdf_with_every_spec_string() {
    let out = tempfile::tempdir().unwrap();
    build_2024(out.path());
    let year = out.path().join("2024");
    let files = pdfs(&year);
    assert_eq!(files.len(), 9, "8 project tables and the combined report: {files:?}");

    let report = files.iter().find(|p| p.to_string_lossy().contains("年度绩效目标")).expect("combined report");
    let report_text = squeeze(&pdf_text(report));
    for spec in fs::read_dir(repo().join("specs/2024/projects")).unwrap() {
        let spec = spec.unwrap().path();
        let code = spec.file_stem().unwrap().to_str().unwrap().to_string();
        let pdf =
            files.iter().find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(&code)).expect("project PDF");
        assert_eq!(pdf_pages(pdf), 1, "{} is one page", pdf.display());
        let text = squeeze(&pdf_text(pdf));
        let strings = yaml_strings(&spec);
        assert!(strings.len() >= 20, "{code}: the spec has its strings ({})", strings.len());
        for s in strings {
            assert!(text.contains(&squeeze(&s)), "{code}: PDF lacks {s:?}");
            assert!(report_text.contains(&squeeze(&s)), "report lacks {s:?} of {code}");
        }
        for label in [
            "项目编码",
            "预算项目名称",
            "3月底",
            "12月底",
            "一级指标",
            "指标值确定依据",
            "服务对象满意度指标",
            "可持续性影响",
        ] {
            assert!(text.contains(label), "{code}: PDF lacks the label {label}");
        }
        assert!(text.contains("2024年度项目支出绩效目标表"), "{code}: title with the year");
    }
    for s in yaml_strings(&repo().join("specs/2024/department.yaml")) {
        assert!(report_text.contains(&squeeze(&s)), "report lacks {s:?}");
    }
    // The summary adds the eight budgets exactly (万 and 万元 alike).
    assert!(report_text.contains("合计896"), "summary total");
}

#[test]
fn builds_are_byte_identical_and_match_the_committed_out() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    build_2024(first.path());
    build_2024(second.path());
    let a = pdfs(&first.path().join("2024"));
    let b = pdfs(&second.path().join("2024"));
    assert_eq!(a.len(), 9);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.file_name(), y.file_name());
        assert!(fs::read(x).unwrap() == fs::read(y).unwrap(), "{} differs between two builds", x.display());
    }
    let committed = pdfs(&repo().join("out/2024"));
    let names = |v: &[std::path::PathBuf]| v.iter().map(|p| p.file_name().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(names(&committed), names(&a), "out/2024 holds exactly the nine PDFs");
    for (fresh, old) in a.iter().zip(&committed) {
        assert!(
            fs::read(fresh).unwrap() == fs::read(old).unwrap(),
            "{} is not what a fresh build gives: run `cargo run --release -- build` and commit out/",
            old.display()
        );
    }
}

#[test]
fn embeds_only_the_committed_fonts_as_subsets() {
    let out = tempfile::tempdir().unwrap();
    build_2024(out.path());
    let committed: Vec<String> = fs::read_dir(repo().join("fonts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "otf" || e == "ttf"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
        .collect();
    for pdf in pdfs(&out.path().join("2024")) {
        let doc = lopdf::Document::load(&pdf).unwrap();
        let mut descriptors = 0;
        for object in doc.objects.values() {
            let Ok(dict) = object.as_dict() else { continue };
            if !dict.get(b"Type").and_then(|t| t.as_name()).is_ok_and(|n| n == b"FontDescriptor") {
                continue;
            }
            descriptors += 1;
            let name = String::from_utf8(dict.get(b"FontName").unwrap().as_name().unwrap().to_vec()).unwrap();
            let (tag, base) = name.split_once('+').unwrap_or_else(|| panic!("{name} is not a subset"));
            assert!(tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()), "{name}: subset tag");
            assert!(
                committed.iter().any(|c| c == base),
                "{name} in {} is not one of fonts/: {committed:?}",
                pdf.display()
            );
            assert!(dict.has(b"FontFile") || dict.has(b"FontFile2") || dict.has(b"FontFile3"), "{name} is embedded");
        }
        assert!(descriptors >= 1, "{} has fonts", pdf.display());
    }
}

/// Page numbers are set in the body face (Serif) in every PDF: in a table's own PDF the
/// footer comes from a page that holds nothing else, and such a page once fell back to
/// the other face. The check: `页` (only printed in footers) is in the Serif subset's
/// ToUnicode map and not in the Sans one.
#[test]
fn page_numbers_are_in_the_body_face() {
    for pdf in pdfs(&repo().join("out/2024")) {
        let doc = lopdf::Document::load(&pdf).unwrap();
        let mut faces = Vec::new();
        for object in doc.objects.values() {
            let Ok(dict) = object.as_dict() else { continue };
            let Ok(to_unicode) = dict.get(b"ToUnicode").and_then(|o| o.as_reference()) else { continue };
            let name = String::from_utf8_lossy(dict.get(b"BaseFont").unwrap().as_name().unwrap()).to_string();
            let stream = doc.get_object(to_unicode).unwrap().as_stream().unwrap();
            let map = String::from_utf8_lossy(&stream.decompressed_content().unwrap()).to_uppercase();
            faces.push((name, map.contains("<9875>")));
        }
        let with_page: Vec<&str> = faces.iter().filter(|(_, has)| *has).map(|(n, _)| n.as_str()).collect();
        assert_eq!(with_page.len(), 1, "{}: one face prints 页: {faces:?}", pdf.display());
        assert!(with_page[0].contains("Serif"), "{}: 页 is set in {}", pdf.display(), with_page[0]);
    }
}

#[test]
fn a_failing_spec_keeps_the_previous_pdf_and_the_rest_build() {
    let root = Project::seed(&SEED_CODES);
    let year = root.year();
    let out = root.root().join("out");
    let run = |args: &[&str]| jixiao(&[args, &["--out", out.to_str().unwrap()]].concat());
    assert!(run(&["build", year.to_str().unwrap(), "-q"]).status.success());
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = pdfs(&out.join("2024"))
        .into_iter()
        .map(|p| {
            let b = fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    // Break one project: a plan that goes down.
    let broken = year.join("projects/131003003.yaml");
    let text = fs::read_to_string(&broken).unwrap().replace("  6: 50", "  6: 5");
    fs::write(&broken, text).unwrap();
    // Change another, valid one, so its PDF is rebuilt.
    let changed = year.join("projects/131003001.yaml");
    let text = fs::read_to_string(&changed).unwrap().replace("日常工作", "日常工作台账");
    fs::write(&changed, text).unwrap();

    let output = run(&["build", year.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "a failed project makes the exit code 1");
    let log = text_of(&output);
    assert!(log.contains("E0310") && log.contains("131003003.yaml:"), "located error:\n{log}");
    for (path, bytes) in &before {
        let name = path.file_name().unwrap().to_str().unwrap();
        let now = fs::read(path).unwrap();
        if name.starts_with("131003001") {
            assert!(now != *bytes, "the changed project was rebuilt");
        } else {
            assert!(now == *bytes, "{name} is untouched (the failing one keeps its PDF, the report is not replaced)");
        }
    }
}

#[test]
fn source_date_epoch_sets_the_only_date() {
    let out = tempfile::tempdir().unwrap();
    let output = jixiao_with(
        &repo(),
        &["build", "specs/2024", "-q", "--out", out.path().to_str().unwrap()],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
    );
    assert!(output.status.success(), "{}", text_of(&output));
    for pdf in pdfs(&out.path().join("2024")) {
        let bytes = fs::read(&pdf).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("D:20231114221320Z"), "{}: date from SOURCE_DATE_EPOCH", pdf.display());
    }
    // Without it (the committed out/), no date at all.
    for pdf in pdfs(&repo().join("out/2024")) {
        let bytes = fs::read(&pdf).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("CreationDate"), "{}: no wall-clock date", pdf.display());
    }
}
