//! Every shipped form's example read back cell by cell, as the seed's tables are in
//! `readback.rs`: each header label beside the value it names, each value under its
//! column (a schedule's start and end, a goal under 中期目标 or 年度目标), the indicator
//! header row in the form's order, each indicator row beside its 二级 and 一级 labels, and
//! the lines above the table (单位, 填报单位). The expected values come from the example's
//! YAML, read here without the tool.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::*;
use crate::pdf::{self, Cell, row_of};
use crate::scratch::Project;

/// A form's example built in a scratch project: the scratch root (keep it alive), the
/// project table's PDF and the example project's YAML.
fn built_example(form: &str, year: &str) -> (Project, PathBuf, Value) {
    let scratch = Project::empty();
    let root = scratch.root();
    let init = jixiao_in(root, &["init", "--form", form, &format!("specs/{year}")]);
    assert!(init.status.success(), "{}", text_of(&init));
    let built = jixiao_in(root, &["build", "-q"]);
    assert!(built.status.success(), "{}", text_of(&built));
    let example = repo().join("templates").join(form).join("example/projects");
    let spec_path = std::fs::read_dir(&example).unwrap().map(|e| e.unwrap().path()).next().unwrap();
    let spec: Value = serde_saphyr::from_str(&std::fs::read_to_string(&spec_path).unwrap()).unwrap();
    let code = spec["code"].as_str().unwrap().to_string();
    let pdf = pdfs(&root.join("out").join(year)).into_iter().find(|p| p.to_string_lossy().contains(&code)).unwrap();
    (scratch, pdf, spec)
}

/// A YAML scalar as printed (numbers and dates as written).
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => squeeze(s),
        other => squeeze(&other.to_string()),
    }
}

struct Table {
    cells: Vec<Cell>,
    /// The whole text without whitespace (for the lines outside the table).
    all: String,
}

impl Table {
    fn read(path: &Path) -> Table {
        Table { cells: pdf::read(path).cells(), all: squeeze(&pdf_text(path)) }
    }

    fn cell(&self, text: &str) -> &Cell {
        let wanted = squeeze(text);
        self.cells.iter().find(|c| c.text == wanted).unwrap_or_else(|| panic!("a cell reading {text:?}"))
    }

    fn next_to(&self, cell: &Cell, right: bool) -> Option<&Cell> {
        self.cells.iter().find(|c| {
            let touching = if right { (c.left - cell.right).abs() < 0.6 } else { (c.right - cell.left).abs() < 0.6 };
            c.page == cell.page && touching && c.top <= cell.top + 0.6 && cell.bottom <= c.bottom + 0.6
        })
    }

    /// The text right of the cell reading `label` (in the same row).
    fn right_of(&self, label: &str) -> String {
        let label = self.cell(label);
        let right = self
            .cells
            .iter()
            .find(|c| c.page == label.page && (c.left - label.right).abs() < 0.6 && (c.top - label.top).abs() < 0.6);
        right.unwrap_or_else(|| panic!("a cell right of {}", label.text)).text.clone()
    }

    /// The text of the cell directly under the one reading `label` (same left edge).
    fn under(&self, label: &str) -> String {
        let label = self.cell(label);
        let below = self
            .cells
            .iter()
            .find(|c| c.page == label.page && (c.top - label.bottom).abs() < 0.6 && (c.left - label.left).abs() < 0.6);
        below.unwrap_or_else(|| panic!("a cell under {}", label.text)).text.clone()
    }

    /// The texts of the row whose first cell is `first` (from it rightwards).
    fn row_from(&self, first: &Cell) -> Vec<String> {
        row_of(&self.cells, first.page, first.top, first.bottom)
            .into_iter()
            .filter(|c| c.left >= first.left - 0.6)
            .map(|c| c.text.clone())
            .collect()
    }

    /// Every row (from its first cell) that holds a cell reading `text`.
    fn rows_with(&self, text: &str) -> Vec<Vec<String>> {
        let wanted = squeeze(text);
        self.cells.iter().filter(|c| c.text == wanted).map(|c| self.row_from(c)).collect()
    }

    /// The indicator header row: the cells of the row holding `first` from it on.
    fn header(&self, first: &str) -> Vec<Vec<String>> {
        self.rows_with(first)
    }

    /// Each indicator: its row `[name, columns…]` (the fields `columns` names that it
    /// has, in order), its 二级 label left of the name and its 一级 label left of that.
    fn assert_indicators(&self, spec: &Value, columns: &[&str]) {
        for indicator in spec["indicators"].as_array().unwrap() {
            let name = text(&indicator["name"]);
            let mut expected = vec![name.clone()];
            for key in columns {
                if let Some(v) = indicator.get(*key).filter(|v| !v.is_null()) {
                    expected.push(text(v));
                }
            }
            let rows = self.rows_with(&name);
            assert!(rows.iter().any(|row| row.starts_with(&expected)), "row {expected:?} not among {rows:?}");
            let named = self.cells.iter().find(|c| c.text == name).unwrap();
            let slot = self.next_to(named, false).unwrap_or_else(|| panic!("a 二级 cell left of {name}"));
            assert_eq!(slot.text, text(&indicator["level2"]), "{name} under its 二级");
            let level = self.next_to(slot, false).unwrap_or_else(|| panic!("a 一级 cell left of {}", slot.text));
            assert_eq!(level.text, text(&indicator["level1"]), "{name} under its 一级");
        }
    }
}

#[test]
fn the_central_form_prints_each_value_in_its_cell() {
    let (_scratch, pdf, spec) = built_example("central-2021", "2021");
    let table = Table::read(&pdf);
    assert!(table.all.contains("（2021年度）") && table.all.contains("单位：万元"), "{}", table.all);
    assert_eq!(table.right_of("项目名称"), text(&spec["name"]));
    assert_eq!(
        table.right_of("主管部门及代码"),
        format!("{}（{}）", text(&spec["competent_dept"]), text(&spec["competent_dept_code"]))
    );
    assert_eq!(table.right_of("实施单位"), text(&spec["implementing_unit"]));
    assert_eq!(table.right_of("项目属性"), text(&spec["attribute"]));
    assert_eq!(
        table.right_of("项目期限"),
        format!("{}至{}", text(&spec["period"]["start"]), text(&spec["period"]["end"]))
    );
    // 中期 and 年度 money side by side, each in its own column.
    let money = |label: &str, mid: &str, year: &str| {
        let rows = table.rows_with(label);
        let expected = [label.to_string(), text(&spec[mid]), label.to_string(), text(&spec["funds"][year])];
        assert!(rows.iter().any(|row| row[..] == expected[..]), "{expected:?} among {rows:?}");
    };
    money("其中：财政拨款", "mid_funds_fiscal", "fiscal");
    money("其他资金", "mid_funds_other", "other");
    assert_eq!(table.right_of("中期资金总额："), text(&spec["mid_funds_total"]));
    assert_eq!(table.right_of("年度资金总额："), text(&spec["funds"]["fiscal"]));
    // The goals under their own headings, not swapped.
    assert_eq!(table.under("中期目标"), text(&spec["mid_term_goal"]));
    assert_eq!(table.under("年度目标"), text(&spec["goal"]));
    // The indicator header in the form's order, each indicator beside its labels.
    let header = table.header("一级指标");
    assert_eq!(header, [["一级指标", "二级指标", "三级指标", "指标值"]], "{header:?}");
    table.assert_indicators(&spec, &["value"]);
}

#[test]
fn the_county_form_prints_each_value_in_its_cell() {
    let (_scratch, pdf, spec) = built_example("county-2016", "2025");
    let table = Table::read(&pdf);
    assert!(table.all.contains("（2025年度）") && table.all.contains("单位：万元"), "{}", table.all);
    assert!(table.all.contains(&format!("填报单位（盖章）：{}", text(&spec["competent_dept"]))), "{}", table.all);
    for (label, key) in [
        ("项目名称", "name"),
        ("主管部门", "competent_dept"),
        ("主管部门编码", "competent_dept_code"),
        ("项目实施单位", "implementing_unit"),
        ("项目负责人", "leader"),
        ("联系电话", "phone"),
        ("单位职能概述", "unit_functions"),
        ("项目概况", "purpose"),
        ("长期目标", "mid_term_goal"),
        ("年度目标", "goal"),
    ] {
        assert_eq!(table.right_of(label), text(&spec[key]), "{label}");
    }
    assert_eq!(
        table.right_of("项目起止时间"),
        format!("{}至{}", text(&spec["period"]["start"]), text(&spec["period"]["end"]))
    );
    for (label, key) in [("财政拨款：", "fiscal"), ("其他：", "other")] {
        assert_eq!(table.right_of(label), text(&spec["funds"][key]), "{label}");
    }
    assert_eq!(table.right_of("资金总额："), text(&spec["funds_total"]));
    // Each schedule row: its content, start and end, each under its own column.
    let start = table.cell("开始时间").clone();
    let end = table.cell("完成时间").clone();
    for (i, step) in spec["schedule"].as_array().unwrap().iter().enumerate() {
        let content = format!("{}.{}", i + 1, text(&step["content"]));
        let first = table.cell(&content).clone();
        let row = row_of(&table.cells, first.page, first.top, first.bottom);
        let at = |column: &Cell| {
            row.iter().find(|c| (c.left - column.left).abs() < 0.6).map(|c| c.text.clone()).unwrap_or_default()
        };
        assert_eq!(at(&start), text(&step["start"]), "{content}: 开始时间");
        assert_eq!(at(&end), text(&step["end"]), "{content}: 完成时间");
    }
    // Two indicator tables, each with its header row in the form's order.
    assert!(table.all.contains("长期绩效指标") && table.all.contains("年度绩效指标"));
    // (A table that runs onto the next page repeats its header there.)
    let header = table.header("一级指标");
    assert!(header.len() >= 2, "{header:?}");
    assert!(header.iter().all(|row| row == &["一级指标", "二级指标", "指标内容", "指标值", "备注"]), "{header:?}");
    table.assert_indicators(&spec, &["value", "note"]);
}

#[test]
fn the_hebei_form_example_prints_each_value_in_its_cell() {
    let (_scratch, pdf, spec) = built_example("hebei-2024", "2024");
    let table = Table::read(&pdf);
    assert!(table.all.contains("单位：万元"), "{}", table.all);
    assert_eq!(table.right_of("项目编码"), text(&spec["code"]));
    assert_eq!(table.right_of("预算项目名称"), text(&spec["name"]));
    assert_eq!(table.right_of("绩效目标"), text(&spec["goal"]));
    let header = table.header("一级指标");
    assert_eq!(
        header,
        [["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]],
        "{header:?}"
    );
    // Each checkpoint under its month.
    for (month, value) in spec["spending_plan"].as_object().unwrap() {
        let written = text(value);
        assert_eq!(table.under(&format!("{month}月底")), format!("{}%", written.trim_end_matches('%')), "{month} 月底");
    }
    table.assert_indicators(&spec, &["description", "value", "basis"]);
}
