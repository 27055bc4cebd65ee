//! Office files: `build --format xlsx,docx` and `jixiao import`.
//!
//! - Round trip: the seed and every shipped target form's example, exported as each
//!   table's workbook and Word document, the year's workbook and its Word version, then
//!   imported into an empty year: `textconv` shows every project as it was.
//! - The exported files opened in LibreOffice (headless, Debian's package, installed by
//!   `.ci/run`): its PDF rendering read back as the PDF tests read ours, every value in
//!   its cell.
//! - Clerks' files (merges as they made them, a 一级 on every row, template rows, numbers,
//!   full-width digits, two projects in one sheet, the flat sheet alone) and bad files
//!   (encrypted, truncated, a zip bomb, macros, 50 MB, 100,000 rows, formulas without
//!   values, a renamed .doc): each read or refused with a located Chinese message,
//!   nothing written for a refused file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use crate::pdf::{self, Cell, row_of};
use crate::scratch::Project;

/// The files in `dir` with extension `ext`, sorted.
pub(crate) fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    found.sort();
    found
}

/// `textconv` of every project file in `dir/projects`, by file name.
fn textconv_all(project: &Project, dir: &Path) -> Vec<(String, String)> {
    let mut specs = files(&dir.join("projects"), "yaml");
    specs.sort();
    specs
        .iter()
        .map(|spec| {
            let output = project.run(&["textconv", spec.to_str().unwrap()]);
            assert!(output.status.success(), "{}", text_of(&output));
            (spec.file_name().unwrap().to_string_lossy().into_owned(), String::from_utf8(output.stdout).unwrap())
        })
        .collect()
}

/// Imports `files` into a new year folder beside `year` (its department file copied) and
/// asserts the projects read back as `year`'s.
fn assert_round_trip(project: &Project, year: &Path, form: &str, inputs: &[PathBuf], what: &str) {
    let into = project.root().join(format!("specs/back-{}", what.replace([' ', '/'], "-")));
    fs::create_dir_all(&into).unwrap();
    fs::copy(year.join("department.yaml"), into.join("department.yaml")).unwrap();
    let mut args = vec!["import", "--form", form, "--into", into.to_str().unwrap()];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    let output = project.run(&args);
    assert!(output.status.success(), "{what}: import failed:\n{}", text_of(&output));
    assert_eq!(textconv_all(project, &into), textconv_all(project, year), "{what}: the specs read back differ");
    let check = project.run(&["check", into.to_str().unwrap()]);
    assert!(check.status.success(), "{what}: the imported year does not check:\n{}", text_of(&check));
}

#[test]
fn every_target_form_round_trips_through_excel_and_word() {
    let project = Project::seed(&SEED_CODES);
    let mut years = vec![("hebei-2024".to_string(), project.year())];
    for form in ["central-2021", "county-2016"] {
        let dir = project.root().join(format!("specs/{form}/2025"));
        let output = project.run(&["init", "--form", form, dir.to_str().unwrap()]);
        assert!(output.status.success(), "{}", text_of(&output));
        years.push((form.to_string(), dir));
    }
    build_formats(&project, "pdf,xlsx,docx");
    for (form, year) in &years {
        let name = year.strip_prefix(project.root().join("specs")).unwrap().to_string_lossy().into_owned();
        let out = project.root().join("out").join(&name);
        let report = |ext: &str| {
            files(&out, ext)
                .into_iter()
                .find(|p| !p.file_name().unwrap().to_string_lossy().starts_with(char::is_numeric))
                .unwrap()
        };
        let tables = |ext: &str| -> Vec<PathBuf> {
            files(&out, ext)
                .into_iter()
                .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(char::is_numeric))
                .collect()
        };
        assert_round_trip(&project, year, form, &tables("xlsx"), &format!("{name} tables xlsx"));
        assert_round_trip(&project, year, form, &tables("docx"), &format!("{name} tables docx"));
        assert_round_trip(&project, year, form, &[report("xlsx")], &format!("{name} year workbook"));
        assert_round_trip(&project, year, form, &[report("docx")], &format!("{name} report docx"));
    }
}

#[test]
fn office_files_are_byte_reproducible_and_pruned_like_page_images() {
    let project = Project::seed(&["131003001", "131003002"]);
    let build = |formats: &str| {
        let output = project.run(&["build", "--quiet", "--force", "--format", formats]);
        assert!(output.status.success(), "{}", text_of(&output));
        let mut files = project.out_files();
        files.retain(|(p, _)| p.extension().is_some_and(|e| ["pdf", "xlsx", "docx"].contains(&e.to_str().unwrap())));
        files.sort();
        files
    };
    let first = build("pdf,xlsx,docx");
    let second = build("pdf,xlsx,docx");
    assert_eq!(first, second, "a second build writes the same bytes");
    let names = |files: &[(PathBuf, Vec<u8>)], ext: &str| {
        files.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == ext)).count()
    };
    // Two tables and the report, each with its workbook and Word document.
    assert_eq!((names(&first, "xlsx"), names(&first, "docx")), (3, 3));
    // Asked no more: they go (only ours).
    let third = build("pdf");
    assert_eq!((names(&third, "xlsx"), names(&third, "docx")), (0, 0));
    // Unchanged inputs: nothing rewritten.
    build("pdf,xlsx,docx");
    let output = project.run(&["build", "--format", "pdf,xlsx,docx"]);
    assert!(text_of(&output).contains("未变化"), "{}", text_of(&output));
}

#[test]
fn the_years_workbook_has_the_summary_a_sheet_per_project_and_the_flat_sheet() {
    let project = Project::seed(&SEED_CODES);
    build_formats(&project, "xlsx");
    let report = files(&project.out(), "xlsx").into_iter().find(|p| p.to_string_lossy().contains("绩效目标")).unwrap();
    let tables = jixiao::office::read::read(&report).unwrap();
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let mut expected = vec!["项目汇总"];
    expected.extend(SEED_CODES);
    expected.push("指标明细");
    assert_eq!(names, expected);
    // The summary: 序号, 编码, 名称, 金额 per row and the total, amounts as numbers.
    let summary = &tables[0];
    let row_texts = |t: &jixiao::office::read::RawTable, row: usize| -> Vec<String> {
        t.cells.iter().filter(|c| c.row == row).map(|c| c.text.clone()).collect()
    };
    let header = (0..summary.height()).find(|&r| row_texts(summary, r).contains(&"项目编码".to_string())).unwrap();
    assert_eq!(row_texts(summary, header), ["序号", "项目编码", "预算项目名称", "预算金额"]);
    assert_eq!(row_texts(summary, header + 1), ["1", "131003001", "政务服务中心工作", "25"]);
    assert_eq!(row_texts(summary, header + 9), ["合计", "896"]);
    // The flat sheet: one row per indicator with its project and place.
    let flat = tables.last().unwrap();
    assert_eq!(&row_texts(flat, 0)[..6], ["项目编码", "预算项目名称", "一级指标", "二级指标", "三级指标", "指标值"]);
    let indicators: usize = SEED_CODES
        .iter()
        .map(|code| fs::read_to_string(project.spec(code)).unwrap().matches("  - level1:").count())
        .sum();
    assert_eq!(flat.height() - 1, indicators);
    assert_eq!(
        &row_texts(flat, 1)[..6],
        ["131003001", "政务服务中心工作", "产出指标", "数量指标", "办件数据", "10000 以上"]
    );
}

/// Builds the project with `--format formats` and asserts success.
pub(crate) fn build_formats(project: &Project, formats: &str) {
    let output = project.run(&["build", "--quiet", "--format", formats]);
    assert!(output.status.success(), "{}", text_of(&output));
}

/// The seed tables' office files with extension `ext` under `out/2024`, in code order.
fn seed_tables(project: &Project, ext: &str) -> Vec<PathBuf> {
    files(&project.out(), ext)
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("1310"))
        .collect()
}

pub(crate) fn soffice() -> Option<PathBuf> {
    let found = ["/usr/bin/soffice", "/usr/bin/libreoffice"].iter().map(PathBuf::from).find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("JIXIAO_OFFICE_TEST").is_none(),
            "JIXIAO_OFFICE_TEST is set but LibreOffice (soffice) is missing"
        );
        eprintln!(
            "LibreOffice test skipped: install libreoffice-calc-nogui and libreoffice-writer-nogui (as .ci/run does)"
        );
    }
    found
}

/// Converts `inputs` to PDF with LibreOffice into `dir`.
pub(crate) fn to_pdf(soffice: &Path, inputs: &[PathBuf], dir: &Path) -> Vec<PathBuf> {
    convert(soffice, inputs, dir, "pdf")
}

/// Converts `inputs` with LibreOffice into `dir` as `format` (`pdf`, `xls`, `docx`…).
fn convert(soffice: &Path, inputs: &[PathBuf], dir: &Path, format: &str) -> Vec<PathBuf> {
    fs::create_dir_all(dir).unwrap();
    let profile = dir.join("profile");
    let output = Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(dir)
        .args(inputs)
        .output()
        .expect("soffice runs");
    assert!(output.status.success(), "soffice: {}", text_of(&output));
    files(dir, format.split(':').next().unwrap_or(format))
}

/// Files as an office has them after saving ours in LibreOffice: the tables as .xls
/// (Excel 97–2003, the budget systems' old exports), and .xlsx and .docx as another
/// program writes them (its own XML, merges and styles): each imports to the same specs.
#[test]
fn files_saved_again_by_an_office_program_import_the_same() {
    let Some(soffice) = soffice() else { return };
    let project = Project::seed(&SEED_CODES);
    build_formats(&project, "xlsx,docx");
    let tables = |ext: &str| seed_tables(&project, ext);
    let saved = [
        ("xls", convert(&soffice, &tables("xlsx"), &project.root().join("again-xls"), "xls")),
        ("xlsx", convert(&soffice, &tables("xlsx"), &project.root().join("again-xlsx"), "xlsx:Calc MS Excel 2007 XML")),
        ("docx", convert(&soffice, &tables("docx"), &project.root().join("again-docx"), "docx:MS Word 2007 XML")),
    ];
    for (what, inputs) in saved {
        assert_eq!(inputs.len(), SEED_CODES.len(), "{what}: one file per table");
        assert_round_trip(&project, &project.year(), "hebei-2024", &inputs, &format!("saved by LibreOffice as {what}"));
    }
}

pub(crate) fn cell_with<'a>(cells: &'a [Cell], text: &str) -> &'a Cell {
    cells.iter().find(|c| c.text == squeeze(text)).unwrap_or_else(|| panic!("a cell reading {text:?} among {cells:?}"))
}

pub(crate) fn right_of<'a>(cells: &'a [Cell], label: &str) -> &'a Cell {
    let label = cell_with(cells, label);
    cells
        .iter()
        .find(|c| c.page == label.page && (c.left - label.right).abs() < 1.5 && (c.top - label.top).abs() < 1.5)
        .unwrap_or_else(|| panic!("a cell right of {}", label.text))
}

#[test]
fn libreoffice_prints_every_value_in_its_cell() {
    let Some(soffice) = soffice() else { return };
    let project = Project::seed(&SEED_CODES);
    build_formats(&project, "xlsx,docx");
    let tables = |ext: &str| seed_tables(&project, ext);
    for ext in ["xlsx", "docx"] {
        let pdfs = to_pdf(&soffice, &tables(ext), &project.root().join(format!("lo-{ext}")));
        assert_eq!(pdfs.len(), SEED_CODES.len(), "{ext}: one PDF per table");
        for (pdf_path, code) in pdfs.iter().zip(SEED_CODES) {
            let spec = jixiao::spec::load::parse_spec::<jixiao::model::ProjectSpec>(
                &project.spec(code),
                &fs::read_to_string(project.spec(code)).unwrap(),
                &jixiao::form::fields::FormFields::default(),
            )
            .unwrap();
            let cells = pdf::read(pdf_path).cells();
            let what = format!("{ext} {code}");
            assert_eq!(right_of(&cells, "项目编码").text, code, "{what}");
            assert_eq!(right_of(&cells, "预算项目名称").text, squeeze(&spec.name.value), "{what}");
            assert_eq!(
                right_of(&cells, "项目资金主要用途").text,
                squeeze(&spec.text("purpose").unwrap().value),
                "{what}"
            );
            assert_eq!(right_of(&cells, "绩效目标").text, squeeze(&spec.text("goal").unwrap().value), "{what}");
            for (month, label) in [(3, "3月底"), (6, "6月底"), (10, "10月底"), (12, "12月底")] {
                let label = cell_with(&cells, label);
                let below = cells
                    .iter()
                    .find(|c| (c.top - label.bottom).abs() < 1.5 && (c.left - label.left).abs() < 1.5)
                    .unwrap_or_else(|| panic!("{what}: a value under {}", label.text));
                let written =
                    spec.spending_plan.as_ref().unwrap().value.get(month).unwrap().value.trim().trim_end_matches('%');
                assert_eq!(below.text, format!("{written}%"), "{what}: {month} 月底");
            }
            for indicator in &spec.indicators {
                let name = squeeze(&indicator.name.value);
                let rows: Vec<Vec<&str>> = cells
                    .iter()
                    .filter(|c| c.text == name)
                    .map(|n| {
                        row_of(&cells, n.page, n.top, n.bottom)
                            .iter()
                            .filter(|c| c.left >= n.left - 1.5)
                            .map(|c| c.text.as_str())
                            .collect()
                    })
                    .collect();
                let mut expected = vec![
                    name.clone(),
                    squeeze(&indicator.text("description").unwrap().value),
                    squeeze(&indicator.value.value),
                ];
                if let Some(basis) = indicator.text("basis").filter(|b| !b.value.trim().is_empty()) {
                    expected.push(squeeze(&basis.value));
                }
                assert!(rows.iter().any(|row| *row == expected), "{what}: row {expected:?} not among {rows:?}");
            }
        }
    }
}

/// A clerk's sheet in the seed's layout, written cell by cell: the 一级 on every row (not
/// merged), the 二级 merged, a blank template row, amounts as numbers, a code in
/// full-width digits, and a second project under the first.
fn clerks_workbook(path: &Path) {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("2025年项目").unwrap();
    let mut row = 0u32;
    for (code, name) in [("１３１００３０２１", "档案数字化"), ("131003022", "窗口设备购置")] {
        sheet.merge_range(row, 0, row, 5, "2025年度项目支出绩效目标表", &Default::default()).unwrap();
        row += 1;
        sheet.write_string(row, 0, "项目编码").unwrap();
        sheet.write_string(row, 1, code).unwrap();
        sheet.write_string(row, 3, "预算项目名称").unwrap();
        sheet.write_string(row, 4, name).unwrap();
        row += 1;
        sheet.write_string(row, 0, "项目资金主要用途").unwrap();
        sheet.merge_range(row, 1, row, 5, "购置设备和服务", &Default::default()).unwrap();
        row += 1;
        sheet.merge_range(row, 0, row + 1, 0, "资金支出计划（%）", &Default::default()).unwrap();
        for (i, (label, value)) in
            [("3 月底", 10.0), ("6 月底", 40.0), ("10 月底", 80.0), ("12 月底", 100.0)].iter().enumerate()
        {
            sheet.write_string(row, 1 + i as u16, *label).unwrap();
            sheet.write_number(row + 1, 1 + i as u16, *value).unwrap();
        }
        row += 2;
        sheet.write_string(row, 0, "绩效目标").unwrap();
        sheet.write_string(row, 1, "按期完成").unwrap();
        row += 1;
        for (col, label) in
            ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"].iter().enumerate()
        {
            sheet.write_string(row, col as u16, *label).unwrap();
        }
        row += 1;
        sheet.merge_range(row, 1, row + 1, 1, "数量指标", &Default::default()).unwrap();
        for (r, (level, indicator, value)) in
            [("产出指标", "完成数量", "1200 卷"), ("产出指标", "指标1", ""), ("效果指标", "群众满意度", "95%以上")]
                .iter()
                .enumerate()
        {
            let r = row + r as u32;
            sheet.write_string(r, 0, *level).unwrap();
            if r > row + 1 {
                sheet.write_string(r, 1, "服务对象满意度指标").unwrap();
            }
            sheet.write_string(r, 2, *indicator).unwrap();
            sheet.write_string(r, 3, "说明").unwrap();
            sheet.write_string(r, 4, *value).unwrap();
        }
        row += 4;
    }
    book.save(path).unwrap();
}

#[test]
fn a_clerks_sheet_is_read_as_clerks_make_them() {
    let project = Project::seed(&[]);
    let file = project.root().join("甲.xlsx");
    clerks_workbook(&file);
    let output = project.run(&["import", "--into", "specs/2024", "甲.xlsx"]);
    assert!(output.status.success(), "{}", text_of(&output));
    let first = fs::read_to_string(project.spec("131003021")).expect("full-width code read as 131003021");
    assert!(first.starts_with("# yaml-language-server: $schema="), "{first}");
    assert!(first.contains("name: 档案数字化"), "{first}");
    assert!(first.contains("spending_plan:\n  3: 10\n  6: 40\n  10: 80\n  12: 100"), "{first}");
    // The template row `指标1` is not an indicator; the 二级 merge covers both rows.
    assert_eq!(first.matches("  - level1:").count(), 2, "{first}");
    assert!(!first.contains("指标1"), "{first}");
    assert!(first.contains("  - level1: 效果指标\n    level2: 服务对象满意度指标\n    name: 群众满意度"), "{first}");
    assert!(project.spec("131003022").is_file(), "the second project of the sheet");
    // A second import does not overwrite, and says so.
    let again = project.run(&["import", "--into", "specs/2024", "甲.xlsx"]);
    assert!(text_of(&again).contains("已经存在，没有覆盖"), "{}", text_of(&again));
}

#[test]
fn the_flat_sheet_alone_is_imported() {
    let project = Project::seed(&SEED_CODES);
    build_formats(&project, "xlsx");
    // A workbook with only the flat sheet, as a clerk filters and saves it.
    let form = jixiao::form::Form::load(&repo().join("templates"), "hebei-2024", &mut Default::default()).unwrap();
    let specs: Vec<jixiao::model::ProjectSpec> = SEED_CODES
        .iter()
        .map(|code| {
            let path = project.spec(code);
            jixiao::spec::load::parse_spec(&path, &fs::read_to_string(&path).unwrap(), &form.fields).unwrap()
        })
        .collect();
    let refs: Vec<&jixiao::model::ProjectSpec> = specs.iter().collect();
    let mut book = rust_xlsxwriter::Workbook::new();
    jixiao::office::xlsx::write_flat(book.add_worksheet(), &jixiao::grid::flat::sheet(&form, &refs)).unwrap();
    let file = project.root().join("明细.xlsx");
    book.save(&file).unwrap();
    let into = project.root().join("specs/flat");
    fs::create_dir_all(&into).unwrap();
    fs::copy(project.year().join("department.yaml"), into.join("department.yaml")).unwrap();
    let output = project.run(&["import", "--into", "specs/flat", "明细.xlsx"]);
    assert!(output.status.success(), "{}", text_of(&output));
    assert_eq!(textconv_all(&project, &into), textconv_all(&project, &project.year()));
}

#[test]
fn amounts_in_yuan_are_written_in_the_years_unit() {
    let project = Project::empty();
    let year = project.root().join("specs/county-2016/2025");
    let output = project.run(&["init", "--form", "county-2016", year.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text_of(&output));
    build_formats(&project, "xlsx");
    let table = files(&project.root().join("out/county-2016/2025"), "xlsx")
        .into_iter()
        .find(|p| p.to_string_lossy().contains("608001001"))
        .unwrap();
    // The table says 单位：万元; a year kept in 元 gets its amounts in 元, exactly.
    let into = project.root().join("specs/yuan");
    fs::create_dir_all(&into).unwrap();
    let department =
        fs::read_to_string(year.join("department.yaml")).unwrap().replace("money_unit: 万元", "money_unit: 元");
    fs::write(into.join("department.yaml"), department).unwrap();
    let output =
        project.run(&["import", "--form", "county-2016", "--into", into.to_str().unwrap(), table.to_str().unwrap()]);
    let text = text_of(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("表中金额的单位是“万元”，已换算为本年度的“元”：财政拨款 1200 → 12000000"), "{text}");
    let spec = fs::read_to_string(into.join("projects/608001001.yaml")).unwrap();
    assert!(spec.contains("funds_total: \"15000000\"") && spec.contains("  fiscal: \"12000000\""), "{spec}");
}

#[test]
fn a_budget_system_sheet_is_read_through_the_forms_import_template() {
    let project = Project::seed(&[]);
    project.edit_form("form.yaml", |text| {
        format!(
            "{text}\nimport_template:\n  sheet: 绩效目标\n  header_row: 2\n  columns:\n    项目代码: code\n    项目名称: name\n    资金用途: purpose\n    年度目标: goal\n    一季度: spending_plan.3\n    二季度: spending_plan.6\n    三季度: spending_plan.10\n    四季度: spending_plan.12\n    一级指标: indicators.level1\n    二级指标: indicators.level2\n    三级指标: indicators.name\n    指标内容: indicators.description\n    指标值: indicators.value\n"
        )
    });
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("绩效目标").unwrap();
    sheet.write_string(0, 0, "2025年部门项目绩效目标（系统导出）").unwrap();
    let header = [
        "项目代码",
        "项目名称",
        "资金用途",
        "年度目标",
        "一季度",
        "二季度",
        "三季度",
        "四季度",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标内容",
        "指标值",
        "备注",
    ];
    for (col, text) in header.iter().enumerate() {
        sheet.write_string(1, col as u16, *text).unwrap();
    }
    let rows = [
        [
            "131003031",
            "窗口服务",
            "窗口运行",
            "按期完成",
            "10",
            "50",
            "75",
            "100",
            "产出指标",
            "数量指标",
            "服务人次",
            "全年服务人次",
            "5000 人次以上",
            "系统",
        ],
        [
            "131003031",
            "窗口服务",
            "窗口运行",
            "按期完成",
            "10",
            "50",
            "75",
            "100",
            "满意度指标",
            "服务对象满意度指标",
            "群众满意度",
            "满意比例",
            "95%以上",
            "",
        ],
        [
            "131003032",
            "档案整理",
            "档案数字化",
            "完成整理",
            "0",
            "30",
            "80",
            "100",
            "产出指标",
            "质量指标",
            "合格率",
            "验收合格",
            "100%",
            "",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (col, text) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 2, col as u16, *text).unwrap();
        }
    }
    book.save(project.root().join("系统导出.xlsx")).unwrap();
    let output = project.run(&["import", "--into", "specs/2024", "系统导出.xlsx"]);
    assert!(output.status.success(), "{}", text_of(&output));
    let first = fs::read_to_string(project.spec("131003031")).unwrap();
    assert!(
        first.contains(
            "name: 窗口服务\npurpose: 窗口运行\nspending_plan:\n  3: 10\n  6: 50\n  10: 75\n  12: 100\ngoal: 按期完成"
        ),
        "{first}"
    );
    assert_eq!(first.matches("  - level1:").count(), 2, "{first}");
    assert!(first.contains("    name: 群众满意度\n    description: 满意比例\n    value: 95%以上"), "{first}");
    assert!(project.spec("131003032").is_file());
    let check = project.run(&["check"]);
    assert!(check.status.success(), "{}", text_of(&check));
}

/// Imports `name` (written by `make`) and asserts it is refused with `message`, nothing
/// written.
fn assert_refused(name: &str, make: impl FnOnce(&Path), message: &str) {
    let project = Project::seed(&[]);
    let file = project.root().join(name);
    make(&file);
    let started = std::time::Instant::now();
    let output = project.run(&["import", "--into", "specs/2025", name]);
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(1), "{name}: {text}");
    assert!(text.contains(message), "{name}: expected {message:?} in:\n{text}");
    assert!(text.contains("提示："), "{name}: a hint:\n{text}");
    assert!(!project.root().join("specs/2025/projects").exists(), "{name}: nothing written");
    // Bounded time (generous: the machine may be busy).
    assert!(started.elapsed().as_secs() < 60, "{name}: took {:?}", started.elapsed());
}

fn zip_with(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// A compound file (the container of .xls, .doc and encrypted OOXML) naming `stream`.
fn compound_file(path: &Path, stream: &str) {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
    bytes.resize(4096, 0);
    fs::write(path, bytes).unwrap();
}

#[test]
fn bad_files_are_refused_with_a_reason_and_nothing_written() {
    let seed_xlsx = || {
        let project = Project::seed(&["131003001"]);
        build_formats(&project, "xlsx");
        fs::read(files(&project.out(), "xlsx").into_iter().find(|p| p.to_string_lossy().contains("131003001")).unwrap())
            .unwrap()
    };
    let good = seed_xlsx();
    assert_refused("加密.xlsx", |p| compound_file(p, "EncryptionInfo"), "文件设有打开密码");
    assert_refused("旧版.docx", |p| compound_file(p, "WordDocument"), "旧版 Word（.doc）文件");
    assert_refused("截断.xlsx", |p| fs::write(p, &good[..good.len() / 2]).unwrap(), "文件不完整或已损坏");
    assert_refused(
        "宏.xlsm",
        |p| zip_with(p, &[("xl/workbook.xml", b"<workbook/>"), ("xl/vbaProject.bin", b"macro")]),
        "文件含有宏",
    );
    assert_refused(
        "炸弹.xlsx",
        |p| {
            let zeros = vec![0u8; 300 * 1024 * 1024];
            zip_with(p, &[("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", &zeros)]);
        },
        "文件解压后超过",
    );
    assert_refused(
        "很大.xlsx",
        |p| {
            let file = fs::File::create(p).unwrap();
            file.set_len(50 * 1024 * 1024).unwrap();
        },
        "超过导入的上限 20 MB",
    );
    assert_refused(
        "网页.xls",
        |p| fs::write(p, "<html><table><tr><td>1</td></tr></table></html>").unwrap(),
        "不是 Excel 或 Word 文件",
    );
    assert_refused(
        "十万行.xlsx",
        |p| {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            for row in 0..100_000u32 {
                sheet.write_number(row, 0, f64::from(row)).unwrap();
            }
            book.save(p).unwrap();
        },
        "工作表有 100000 行",
    );
}

#[test]
fn a_formula_without_its_value_is_named_at_its_cell() {
    let project = Project::seed(&[]);
    let file = project.root().join("公式.xlsx");
    clerks_workbook(&file);
    // Replace the first project's 6 月底 value (B5's neighbour C5) by a formula with no
    // saved result, as some generators write them.
    let bytes = fs::read(&file).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(fs::File::create(&file).unwrap());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut text).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(text).unwrap();
            let start = xml.find("<c r=\"C5\"").unwrap();
            let end = start + xml[start..].find("</c>").unwrap() + 4;
            text = format!("{}<c r=\"C5\"><f>B5*4</f></c>{}", &xml[..start], &xml[end..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&text).unwrap();
    }
    out.finish().unwrap();
    let output = project.run(&["import", "--into", "specs/2024", "公式.xlsx"]);
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("公式.xlsx!2025年项目!C5：这一格是公式（=B5*4），文件里没有保存计算结果"), "{text}");
}
