//! The committed PDFs read back cell by cell: every value in its column and row, every
//! spending-plan checkpoint under its month, every summary row `序号 编码 名称 金额` and
//! the total, and exactly one page number per page. A value in the wrong column, a plan
//! mapped to the wrong month, a wrong summary row or a doubled footer fails here even
//! after `out/` is regenerated.

use std::path::{Path, PathBuf};

use jixiao::form::fields::FormFields;
use jixiao::model::ProjectSpec;
use jixiao::spec::load::parse_spec;

use crate::common::*;
use crate::pdf::{self, Cell, row_of};

fn squeezed(text: &str) -> String {
    squeeze(text)
}

fn spec(code: &str) -> ProjectSpec {
    let path = repo().join(format!("specs/2024/projects/{code}.yaml"));
    parse_spec(&path, &std::fs::read_to_string(&path).unwrap(), &FormFields::default()).expect("the seed parses")
}

fn committed(prefix: &str) -> PathBuf {
    pdfs(&repo().join("out/2024"))
        .into_iter()
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("a committed PDF starting with {prefix}"))
}

fn cell_with<'a>(cells: &'a [Cell], text: &str) -> &'a Cell {
    cells.iter().find(|c| c.text == squeezed(text)).unwrap_or_else(|| panic!("a cell reading {text:?}"))
}

/// The cell right of the one reading `label`.
fn right_of<'a>(cells: &'a [Cell], label: &str) -> &'a Cell {
    let label = cell_with(cells, label);
    cells
        .iter()
        .find(|c| c.page == label.page && (c.left - label.right).abs() < 0.6 && (c.top - label.top).abs() < 0.6)
        .unwrap_or_else(|| panic!("a cell right of {}", label.text))
}

#[test]
fn every_table_prints_each_value_in_its_cell() {
    for code in SEED_CODES {
        let spec = spec(code);
        let printed = pdf::read(&committed(code));
        let cells = printed.cells();
        assert_eq!(right_of(&cells, "项目编码").text, code);
        assert_eq!(right_of(&cells, "预算项目名称").text, squeezed(&spec.name.value));
        assert_eq!(right_of(&cells, "项目资金主要用途").text, squeezed(&spec.text("purpose").unwrap().value));
        assert_eq!(right_of(&cells, "绩效目标").text, squeezed(&spec.text("goal").unwrap().value));

        // Each checkpoint's value in the cell directly under its month.
        let months = [(3, "3月底"), (6, "6月底"), (10, "10月底"), (12, "12月底")];
        let first = cell_with(&cells, "3月底");
        let labels: Vec<&str> =
            row_of(&cells, first.page, first.top, first.bottom).iter().map(|c| c.text.as_str()).collect();
        assert_eq!(labels, months.map(|(_, l)| l), "{code}: the checkpoints in order");
        for (month, label) in months {
            let label = cell_with(&cells, label);
            let below = cells
                .iter()
                .find(|c| (c.top - label.bottom).abs() < 0.6 && (c.left - label.left).abs() < 0.6)
                .unwrap_or_else(|| panic!("{code}: a value under {}", label.text));
            let written =
                spec.spending_plan.as_ref().unwrap().value.get(month).unwrap().value.trim().trim_end_matches('%');
            assert_eq!(below.text, format!("{written}%"), "{code}: {month} 月底");
        }

        // Each indicator: 三级, 描述, 指标值, 依据 side by side in one row.
        for indicator in &spec.indicators {
            let name = squeezed(&indicator.name.value);
            let rows: Vec<Vec<&str>> = cells
                .iter()
                .filter(|c| c.text == name)
                .map(|n| {
                    let row = row_of(&cells, n.page, n.top, n.bottom);
                    row.iter().filter(|c| c.left >= n.left - 0.6).map(|c| c.text.as_str()).collect()
                })
                .collect();
            let mut expected = vec![
                name.clone(),
                squeezed(&indicator.text("description").unwrap().value),
                squeezed(&indicator.value.value),
            ];
            if let Some(basis) = indicator.text("basis").filter(|b| !b.value.trim().is_empty()) {
                expected.push(squeezed(&basis.value));
            }
            assert!(rows.iter().any(|row| *row == expected), "{code}: row {expected:?} not among {rows:?}");
        }
    }
}

/// Every indicator sits beside its 二级 label, which sits inside its 一级 label.
#[test]
fn indicators_sit_beside_their_level_labels() {
    for code in SEED_CODES {
        let spec = spec(code);
        let printed = pdf::read(&committed(code));
        let cells = printed.cells();
        let left_of = |cell: &Cell| -> Cell {
            cells
                .iter()
                .find(|c| {
                    c.page == cell.page
                        && (c.right - cell.left).abs() < 0.6
                        && c.top <= cell.top + 0.6
                        && cell.bottom <= c.bottom + 0.6
                })
                .unwrap_or_else(|| panic!("{code}: a cell left of {}", cell.text))
                .clone()
        };
        for indicator in &spec.indicators {
            let name = cell_with(&cells, &indicator.name.value);
            let slot = left_of(name);
            let level = left_of(&slot);
            assert_eq!(slot.text, squeezed(&indicator.level2.value), "{code}: {} under its 二级", name.text);
            assert_eq!(level.text, squeezed(&indicator.level1.value), "{code}: {} under its 一级", name.text);
        }
    }
}

/// The cost of each seed project, read from its spec independently of the tool: the
/// number of its 成本指标 value (万 and 万元 alike).
fn seed_amounts() -> Vec<(String, String, u32)> {
    SEED_CODES
        .iter()
        .map(|code| {
            let spec = spec(code);
            let cost = spec.indicators.iter().find(|i| i.level2.value == "成本指标").expect("a cost indicator");
            let digits: String = cost.value.value.chars().take_while(char::is_ascii_digit).collect();
            (code.to_string(), squeezed(&spec.name.value), digits.parse().unwrap())
        })
        .collect()
}

#[test]
fn the_summary_lists_every_project_and_the_exact_total() {
    let printed = pdf::read(&committed("唐山海港经济开发区"));
    let cells = printed.cells();
    let header = cell_with(&cells, "序号");
    let header_row: Vec<&str> =
        row_of(&cells, header.page, header.top, header.bottom).iter().map(|c| c.text.as_str()).collect();
    assert_eq!(header_row, ["序号", "项目编码", "预算项目名称", "预算金额"]);
    let mut top = header.bottom;
    let mut total = 0;
    for (index, (code, name, amount)) in seed_amounts().into_iter().enumerate() {
        let row = cells.iter().filter(|c| c.page == header.page && (c.top - top).abs() < 0.6).collect::<Vec<_>>();
        let first = row.first().unwrap_or_else(|| panic!("summary row {}", index + 1));
        let texts: Vec<&str> =
            row_of(&cells, header.page, first.top, first.bottom).iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, [(index + 1).to_string(), code, name, amount.to_string()], "summary row {}", index + 1);
        top = first.bottom;
        total += amount;
    }
    let last = cells.iter().find(|c| c.page == header.page && (c.top - top).abs() < 0.6).expect("the total row");
    let texts: Vec<&str> = row_of(&cells, header.page, last.top, last.bottom).iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["合计".to_string(), total.to_string()]);
    assert_eq!(total, 896, "the bureau's report says 896 万元");
}

/// `第N页` runs of a page.
fn page_numbers(printed: &pdf::Printed, page: usize) -> Vec<String> {
    printed
        .runs
        .iter()
        .filter(|r| r.page == page)
        .filter(|r| {
            r.text.starts_with('第')
                && r.text.ends_with('页')
                && r.text[3..r.text.len() - 3].chars().all(|c| c.is_ascii_digit())
        })
        .map(|r| r.text.clone())
        .collect()
}

#[test]
fn every_page_has_exactly_one_page_number() {
    for path in pdfs(&repo().join("out/2024")) {
        let printed = pdf::read(&path);
        let report = path.to_string_lossy().contains("年度绩效目标");
        let pages = lopdf::Document::load(&path).unwrap().get_pages().len();
        for page in 1..=pages {
            let found = page_numbers(&printed, page);
            let expected = match (report, page) {
                (true, 1) => vec![], // the cover
                (true, n) => vec![format!("第{}页", n - 1)],
                (false, n) => vec![format!("第{n}页")],
            };
            assert_eq!(found, expected, "{} page {page}", path.display());
        }
    }
}

/// A table that runs to several pages repeats its header row and its 一级/二级 labels
/// on each page, and every row is printed whole.
pub fn assert_labels_on_every_page(path: &Path, level1: &str, level2: &str) {
    let printed = pdf::read(path);
    for page in 1..=printed.pages() {
        let cells: Vec<Cell> = printed.cells().into_iter().filter(|c| c.page == page).collect();
        assert!(cells.iter().any(|c| c.text == "一级指标"), "page {page} repeats the header row");
        if cells.iter().any(|c| c.text.starts_with("质量")) {
            assert!(cells.iter().any(|c| c.text == level1), "page {page} names its 一级 group");
            assert!(cells.iter().any(|c| c.text == level2), "page {page} names its 二级 group");
        }
    }
}
