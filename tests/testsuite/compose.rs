//! Each table is laid out once and its pages serve twice: in the project's own PDF,
//! numbered from 1, and in the combined report, numbered on from the narrative. Checked
//! on a generated department whose tables run to one and two pages.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::*;
use crate::scratch::Project;

/// `第N页` (whitespace squeezed) of every page-number footer removed.
fn without_page_numbers(text: &str) -> String {
    let squeezed = squeeze(text);
    let mut out = String::new();
    let mut rest = squeezed.as_str();
    while let Some(start) = rest.find('第') {
        out.push_str(&rest[..start]);
        let after = &rest[start + '第'.len_utf8()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with('页') {
            rest = &after[digits + '页'.len_utf8()..];
        } else {
            out.push('第');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A generated department of ten projects, built; returns its output folder.
fn generated_department(dir: &Path) -> PathBuf {
    let output = jixiao(&["bench", "-n", "10", "--keep", dir.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text_of(&output));
    let mut years: Vec<PathBuf> =
        fs::read_dir(dir.join("out")).unwrap().map(|e| e.unwrap().path().join("2024")).collect();
    assert_eq!(years.len(), 1, "one department: {years:?}");
    years.pop().unwrap()
}

#[test]
fn tables_serve_their_own_pdf_and_the_report_with_the_right_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let year = generated_department(dir.path());
    let (reports, tables): (Vec<PathBuf>, Vec<PathBuf>) =
        pdfs(&year).into_iter().partition(|p| p.to_string_lossy().contains("年度绩效目标"));
    assert_eq!((reports.len(), tables.len()), (1, 10));
    let report: Vec<String> = pdf_page_texts(&reports[0]);

    // The cover has no number; the report counts on from 1 over narrative and tables.
    assert!(!squeeze(&report[0]).contains("第1页"), "cover: {}", report[0]);
    for (i, text) in report.iter().enumerate().skip(1) {
        assert!(squeeze(text).contains(&format!("第{i}页")), "report page {} shows 第{i}页: {text}", i + 1);
    }

    let mut table_pages = 0;
    let mut multi_page = 0;
    let report_bodies: Vec<String> = report.iter().map(|t| without_page_numbers(t)).collect();
    for (k, table) in tables.iter().enumerate() {
        let pages = pdf_page_texts(table);
        table_pages += pages.len();
        multi_page += usize::from(pages.len() > 1);
        for (n, text) in pages.iter().enumerate() {
            assert!(squeeze(text).contains(&format!("第{}页", n + 1)), "{} page {}: {text}", table.display(), n + 1);
            let body = without_page_numbers(text);
            assert!(body.len() > 100, "{} page {} has its table", table.display(), n + 1);
            if k == 0 {
                // The first table is laid out under the report's section heading.
                let start: String = body.chars().take(30).collect();
                assert!(report_bodies.iter().any(|r| r.contains(&start)), "report has table 1");
            } else {
                let hits = report_bodies.iter().filter(|r| **r == body).count();
                assert_eq!(hits, 1, "page {} of {} is one report page as it is", n + 1, table.display());
            }
        }
    }
    assert!(multi_page >= 2, "the corpus has tables of two pages ({multi_page})");
    // Cover, narrative and summary, then the tables (the first may break differently).
    assert!(report.len() >= table_pages + 3, "{} report pages for {table_pages} table pages", report.len());
}

#[test]
fn a_report_template_that_leaves_no_slots_fails_clearly() {
    let project = Project::seed(&SEED_CODES);
    project.edit_form("report.typ.j2", |text| {
        assert!(text.contains("<jixiao-slot>"));
        text.replace("<jixiao-slot>", "<not-a-slot>")
    });
    let output = project.run(&["build", "--out", "out"]);
    let log = text_of(&output);
    assert_eq!(output.status.code(), Some(1), "{log}");
    assert!(log.contains("E0401") && log.contains("report.typ.j2") && log.contains("131003002"), "{log}");
    assert!(log.contains("留出了 0 个页位，它有 1 页"), "{log}");
    assert!(log.contains("合订本生成失败（原因见上），保留原有合订本"), "{log}");
    // The tables themselves are fine and written; the report is not.
    let written = pdfs(&project.root().join("out/2024"));
    assert_eq!(written.len(), 8, "{written:?}");
}
