//! Tables fitted to their pages: never print less than the spec says (long rows, many
//! rows, rows taller than a page), and say at the spec's line what cannot fit.

use std::fs;
use std::path::PathBuf;

use crate::common::*;
use crate::readback::assert_labels_on_every_page;
use crate::scratch::*;

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

/// The clean project with `rows` appended to its indicators, built; its table's PDF.
fn table_with(rows: &str) -> (Project, PathBuf) {
    let project = Project::clean();
    let spec = project.spec("131003001");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(&spec, format!("{text}{rows}")).unwrap();
    let output = project.run(&["build", "-q"]);
    assert!(output.status.success(), "{}", text_of(&output));
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
    let text = text_of(&output);
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
    let out = text_of(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(located(&out, "131003001.yaml", line, "E0402") && !out.contains("project.typ.j2"), "{out}");
}
