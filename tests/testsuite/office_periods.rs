//! Office files of a period: self-evaluation and monitoring tables exported by `build`
//! and imported back into `actuals/` by `jixiao import`.
//!
//! - Round trip: the central self-evaluation example (eight projects: a hand score with
//!   its reason, reasons for a low execution rate, directions only a score shows), the
//!   Sichuan and monitoring forms' examples: each table's workbook and Word document, the
//!   period's workbook and its report's Word version imported into a year holding only
//!   the targets; `textconv` shows every actuals file as it was (and `period.yaml` too,
//!   from the report, whose cover prints its date and title).
//! - LibreOffice renders an exported self-evaluation table with every figure in its cell.
//! - Clerks' tables: amounts in 元, the 一级 on every row, points split by hand, a
//!   template row, a row the target does not have, a table of a project the year does
//!   not have, a monitoring table of 1-6月 with ticks; an existing file kept, a period of
//!   another form refused.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::*;
use crate::office::{build_formats, cell_with, files, right_of, soffice, to_pdf};
use crate::pdf;
use crate::scratch::{Project, assert_chinese};

/// `textconv` of a spec file.
fn textconv(project: &Project, path: &Path) -> String {
    let output = project.run(&["textconv", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text_of(&output));
    String::from_utf8(output.stdout).unwrap()
}

/// Where a test writes the actuals it expects (in a period folder, as `textconv` reads
/// actuals files).
fn expected_file(project: &Project, form: &str) -> PathBuf {
    let dir = project.root().join("expected/2024/actuals/year-end");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("period.yaml"), format!("form: {form}\n")).unwrap();
    dir.join("131003001.yaml")
}

/// A new year folder holding `year`'s department file and targets, no actuals.
fn targets_only(project: &Project, year: &Path, name: &str) -> PathBuf {
    let into = project.root().join("specs").join(name).join("2024");
    fs::create_dir_all(into.join("projects")).unwrap();
    fs::copy(year.join("department.yaml"), into.join("department.yaml")).unwrap();
    for spec in files(&year.join("projects"), "yaml") {
        fs::copy(&spec, into.join("projects").join(spec.file_name().unwrap())).unwrap();
    }
    into
}

/// Imports `inputs` into a year with only `year`'s targets and asserts every actuals file
/// of `period` reads back as it was; `period.yaml` as it was when `cover` (the report
/// prints its date and title), else only what it says.
fn assert_round_trip(
    project: &Project,
    year: &Path,
    form: &str,
    period: &str,
    inputs: &[PathBuf],
    what: &str,
    cover: bool,
) {
    let into = targets_only(project, year, &format!("back-{}", what.replace([' ', '/'], "-")));
    let mut args = vec!["import", "--form", form, "--into", into.to_str().unwrap()];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    let output = project.run(&args);
    assert!(output.status.success(), "{what}: import failed:\n{}", text_of(&output));
    let original = year.join("actuals").join(period);
    let back = into.join("actuals").join(period);
    let originals = files(&original, "yaml");
    assert!(originals.len() > 2, "{what}: the example has actuals");
    for file in &originals {
        let name = file.file_name().unwrap();
        let read = back.join(name);
        assert!(read.is_file(), "{what}: {} was not written:\n{}", read.display(), text_of(&output));
        let (was, is) = (textconv(project, file), textconv(project, &read));
        if name != "period.yaml" || cover {
            assert_eq!(is, was, "{what}: {} reads back differently", name.to_string_lossy());
        } else {
            assert!(is.lines().all(|l| was.contains(l)), "{what}: period.yaml says more than it was:\n{is}\n{was}");
        }
    }
    let check = project.run(&["check", into.to_str().unwrap()]);
    assert!(check.status.success(), "{what}: the imported year does not check:\n{}", text_of(&check));
}

#[test]
fn every_period_form_round_trips_through_excel_and_word() {
    let project = Project::empty();
    copy_tree(&repo().join("specs/example/2024"), &project.root().join("specs/example/2024"));
    let mut periods = vec![("central-evaluation-2020", project.root().join("specs/example/2024"), "year-end")];
    for (form, period) in [("sichuan-evaluation-2023", "year-end"), ("central-monitoring-2019", "monitoring-07")] {
        let dir = project.root().join(format!("specs/{form}/2024"));
        let output = project.run(&["init", "--form", form, dir.to_str().unwrap()]);
        assert!(output.status.success(), "{}", text_of(&output));
        periods.push((form, dir, period));
    }
    build_formats(&project, "pdf,xlsx,docx");
    for (form, year, period) in &periods {
        let name = year.strip_prefix(project.root().join("specs")).unwrap().to_string_lossy().into_owned();
        let out = project.root().join("out").join(&name).join(period);
        let is_table = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().starts_with(char::is_numeric);
        let tables = |ext: &str| files(&out, ext).into_iter().filter(is_table).collect::<Vec<_>>();
        let report = |ext: &str| files(&out, ext).into_iter().filter(|p| !is_table(p)).collect::<Vec<_>>();
        assert_round_trip(&project, year, form, period, &tables("xlsx"), &format!("{form} tables xlsx"), false);
        assert_round_trip(&project, year, form, period, &tables("docx"), &format!("{form} tables docx"), false);
        assert_round_trip(&project, year, form, period, &report("xlsx"), &format!("{form} period workbook"), false);
        assert_round_trip(&project, year, form, period, &report("docx"), &format!("{form} report docx"), true);
    }
}

#[test]
fn libreoffice_prints_every_figure_of_a_self_evaluation_in_its_cell() {
    let Some(soffice) = soffice() else { return };
    let project = Project::empty();
    copy_tree(&repo().join("specs/example/2024"), &project.root().join("specs/example/2024"));
    build_formats(&project, "xlsx,docx");
    let out = project.root().join("out/example/2024/year-end");
    let actuals = project.root().join("specs/example/2024/actuals/year-end/131003004.yaml");
    let spec = jixiao::spec::actuals::parse_actuals(&actuals, &fs::read_to_string(&actuals).unwrap()).unwrap();
    for ext in ["xlsx", "docx"] {
        let table = files(&out, ext).into_iter().find(|p| p.to_string_lossy().contains("131003004")).unwrap();
        let pdfs = to_pdf(&soffice, &[table], &project.root().join(format!("lo-{ext}")));
        let cells = pdf::read(&pdfs[0]).cells();
        let fiscal = spec.money.as_ref().unwrap().fiscal.as_ref().unwrap();
        let row = right_of(&cells, "其中：当年财政拨款");
        assert_eq!(row.text, fiscal.budget.as_ref().unwrap().value, "{ext}: 年初预算数 beside its row label");
        let (goal, heading) =
            (cell_with(&cells, &spec.goal.as_ref().unwrap().value), cell_with(&cells, "实际完成情况"));
        assert!(
            (goal.left - heading.left).abs() < 1.5 && goal.top > heading.top,
            "{ext}: the goal's actual under its heading"
        );
        for indicator in &spec.indicators {
            let name = cell_with(&cells, &indicator.name.value);
            let line: Vec<&str> = pdf::row_of(&cells, name.page, name.top, name.bottom)
                .iter()
                .filter(|c| c.left >= name.left - 1.5)
                .map(|c| c.text.as_str())
                .collect();
            let actual = squeeze(&indicator.actual.as_ref().unwrap().value);
            assert_eq!(
                line.get(2).copied(),
                Some(actual.as_str()),
                "{ext}: {}: 实际完成值 {line:?}",
                indicator.name.value
            );
            if let Some(score) = &indicator.score {
                let printed: f64 = line[4].parse().unwrap();
                assert_eq!(printed, score.value.parse::<f64>().unwrap(), "{ext}: the hand score printed");
            }
            if let Some(reason) = &indicator.score_reason {
                let cell = line.last().unwrap();
                assert!(cell.contains(&squeeze(&reason.value)), "{ext}: the score's reason in {cell:?}");
                assert!(cell.contains(&squeeze(&indicator.reason.as_ref().unwrap().value)), "{ext}: {cell:?}");
            }
        }
    }
}

/// A clerk's self-evaluation of the seed's 131003001, in 元, made cell by cell: the 一级
/// on every row, points split 10 + 10 + 20 + 10 by hand, a reason and a measure on two
/// lines, a template row, a row the target does not have; and under it the table of a
/// project the year does not have.
fn clerks_evaluation(path: &Path) {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("自评").unwrap();
    let mut row = 0u32;
    for name in ["政务服务中心工作", "不存在的项目"] {
        sheet.merge_range(row, 0, row, 8, "项目支出绩效自评表", &Default::default()).unwrap();
        sheet.write_string(row + 1, 8, "单位：元").unwrap();
        row += 2;
        sheet.write_string(row, 0, "项目名称").unwrap();
        sheet.merge_range(row, 1, row, 8, name, &Default::default()).unwrap();
        sheet.write_string(row + 1, 0, "主管部门").unwrap();
        sheet.write_string(row + 1, 5, "实施单位").unwrap();
        row += 2;
        sheet.merge_range(row, 0, row + 4, 0, "项目资金（元）", &Default::default()).unwrap();
        for (col, label) in ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"].iter().enumerate()
        {
            sheet.write_string(row, 2 + col as u16, *label).unwrap();
        }
        for (r, (label, amounts)) in
            [("年度资金总额", [250000.0, 250000.0, 243000.0]), ("其中：当年财政拨款", [250000.0, 250000.0, 243000.0])]
                .iter()
                .enumerate()
        {
            sheet.write_string(row + 1 + r as u32, 1, *label).unwrap();
            for (c, amount) in amounts.iter().enumerate() {
                sheet.write_number(row + 1 + r as u32, 2 + c as u16, *amount).unwrap();
            }
        }
        sheet.write_string(row + 3, 1, "上年结转资金").unwrap();
        sheet.write_string(row + 4, 1, "其他资金").unwrap();
        row += 5;
        sheet.merge_range(row, 0, row + 1, 0, "年度总体目标", &Default::default()).unwrap();
        sheet.merge_range(row, 1, row, 4, "预期目标", &Default::default()).unwrap();
        sheet.merge_range(row, 5, row, 8, "实际完成情况", &Default::default()).unwrap();
        sheet.merge_range(row + 1, 5, row + 1, 8, "全年办件 12650 件。", &Default::default()).unwrap();
        row += 2;
        let header = [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ];
        for (col, label) in header.iter().enumerate() {
            sheet.write_string(row, col as u16, *label).unwrap();
        }
        row += 1;
        let rows = [
            ("产出指标（50分）", "数量指标", "办件数据", "10000 以上", "12650 件", 10.0, 10.0, ""),
            ("产出指标（50分）", "质量指标", "审批结果准确性", "100%", "100%", 10.0, 10.0, ""),
            (
                "产出指标（50分）",
                "时效指标",
                "政务服务事项限时办结率",
                "100%",
                "99.6%",
                20.0,
                19.92,
                "个别事项超时。\n推行容缺受理。",
            ),
            ("产出指标（50分）", "成本指标", "财政保障经费", "25 万元", "24.3 万元", 10.0, 10.0, ""),
            ("效果指标（30分）", "社会效益指标", "事项进驻率", "85%以上", "87%", 30.0, 30.0, ""),
            ("效果指标（30分）", "社会效益指标", "指标1", "", "", 0.0, 0.0, ""),
            ("效果指标（30分）", "社会效益指标", "宣传次数", "4 次", "5 次", 0.0, 0.0, ""),
            ("满意度指标（10分）", "服务对象满意度指标", "办事群众满意度", "98%以上", "99.2%", 10.0, 10.0, ""),
        ];
        for (level1, level2, indicator, target, actual, weight, score, reason) in rows {
            for (col, text) in [(1, level1), (2, level2), (3, indicator), (4, target), (5, actual), (8, reason)] {
                sheet.write_string(row, col, text).unwrap();
            }
            if indicator != "指标1" {
                sheet.write_number(row, 6, weight).unwrap();
                sheet.write_number(row, 7, score).unwrap();
            }
            row += 1;
        }
        sheet.merge_range(row, 0, row, 5, "总分", &Default::default()).unwrap();
        row += 3;
    }
    book.save(path).unwrap();
}

#[test]
fn a_clerks_self_evaluation_is_read_as_clerks_make_it() {
    let project = Project::seed(&["131003001"]);
    clerks_evaluation(&project.root().join("自评.xlsx"));
    let output = project.run(&["import", "--form", "central-evaluation-2020", "--into", "specs/2024", "自评.xlsx"]);
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(1), "a table that matches no project fails the import:\n{text}");
    assert_chinese(&text);
    assert!(text.contains("项目“不存在的项目”在") && text.contains("没有同名的目标规格"), "{text}");
    assert!(text.contains("自评.xlsx!自评!D"), "problems name their cell:\n{text}");
    assert!(text.contains("“宣传次数”不是项目 131003001 目标中的三级指标"), "{text}");
    assert!(text.contains("已换算为本年度的“万元”"), "{text}");
    let written = project.year().join("actuals/year-end/131003001.yaml");
    let expected = expected_file(&project, "central-evaluation-2020");
    fs::write(
        &expected,
        "money:\n  fiscal: { budget: 25, adjusted: 25, spent: 24.3 }\ngoal: 全年办件 12650 件。\nindicators:\n\
         \x20 - name: 办件数据\n    actual: 12650 件\n\
         \x20 - name: 审批结果准确性\n    actual: 100%\n\
         \x20 - name: 政务服务事项限时办结率\n    actual: 99.6%\n    weight: 20\n    reason: 个别事项超时。\n    measure: 推行容缺受理。\n\
         \x20 - name: 财政保障经费\n    actual: 24.3 万元\n    direction: 反向\n\
         \x20 - name: 事项进驻率\n    actual: 87%\n\
         \x20 - name: 办事群众满意度\n    actual: 99.2%\n",
    )
    .unwrap();
    // The printed points and scores come back from the rules: only the weight the split
    // does not give and the direction only the score shows are written.
    assert_eq!(textconv(&project, &written), textconv(&project, &expected));
    let period = fs::read_to_string(project.year().join("actuals/year-end/period.yaml")).unwrap();
    assert!(period.starts_with("# yaml-language-server: $schema=") && period.contains("form: central-evaluation-2020"));
    let check = project.run(&["check", "specs/2024"]);
    assert!(check.status.success(), "{}", text_of(&check));
    // Imported again: nothing overwritten without --force.
    fs::write(&written, "# 手改过\n").unwrap();
    let again = project.run(&["import", "--form", "central-evaluation-2020", "--into", "specs/2024", "自评.xlsx"]);
    assert!(text_of(&again).contains("已经存在，没有覆盖"), "{}", text_of(&again));
    assert_eq!(fs::read_to_string(&written).unwrap(), "# 手改过\n");
    // A period of another form is not written into.
    let other = project.run(&[
        "import",
        "--form",
        "central-monitoring-2019",
        "--into",
        "specs/2024",
        "--period",
        "year-end",
        "自评.xlsx",
    ]);
    assert_eq!(other.status.code(), Some(1));
    assert!(text_of(&other).contains("这一期用的表样是 central-evaluation-2020"), "{}", text_of(&other));
}

/// A clerk's monitoring table for 1-6月: ticks as `√`, the likelihood ticked.
fn clerks_monitoring(path: &Path) {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let write = |sheet: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16, text: &str| {
        sheet.write_string(row, col, text).unwrap();
    };
    write(sheet, 0, 0, "项目名称");
    write(sheet, 0, 2, "政务服务中心工作");
    write(sheet, 2, 0, "项目资金（万元）");
    for (col, label) in [(4, "年初预算数"), (6, "1-6月执行数"), (9, "1-6月执行率"), (13, "全年预计执行数")]
    {
        write(sheet, 2, col, label);
    }
    write(sheet, 3, 1, "年度资金总额");
    write(sheet, 4, 1, "其中：财政拨款");
    sheet.write_number(4, 4, 25.0).unwrap();
    sheet.write_number(4, 6, 12.0).unwrap();
    sheet.write_number(4, 13, 25.0).unwrap();
    write(sheet, 5, 1, "其他资金");
    write(sheet, 6, 0, "年度总体目标");
    write(sheet, 6, 1, "全年目标");
    write(sheet, 6, 7, "1-6月执行情况");
    write(sheet, 7, 7, "上半年办件 6100 件。");
    let header = [
        (1, "一级指标"),
        (2, "二级指标"),
        (3, "三级指标"),
        (4, "年度指标值"),
        (5, "1-6月执行情况"),
        (6, "全年预计完成情况"),
        (7, "偏差原因分析"),
        (12, "完成目标可能性"),
        (15, "备注"),
    ];
    for (col, label) in header {
        write(sheet, 8, col, label);
    }
    for (col, label) in [
        (7, "经费保障"),
        (8, "制度保障"),
        (9, "人员保障"),
        (10, "硬件条件保障"),
        (11, "其他"),
        (12, "确定能"),
        (13, "有可能"),
        (14, "完全不可能"),
    ] {
        write(sheet, 9, col, label);
    }
    let rows = [
        ("办件数据", "6100 件", "12400 件", &[13][..], ""),
        ("政务服务事项限时办结率", "99.5%", "99.6%", &[9, 13][..], "窗口人员不足。"),
    ];
    for (i, (name, actual, forecast, ticks, reason)) in rows.into_iter().enumerate() {
        let row = 10 + i as u32;
        write(sheet, row, 1, "产出指标");
        write(sheet, row, 3, name);
        write(sheet, row, 5, actual);
        write(sheet, row, 6, forecast);
        for &col in ticks {
            write(sheet, row, col, "√");
        }
        write(sheet, row, 15, reason);
    }
    book.save(path).unwrap();
}

#[test]
fn a_clerks_monitoring_table_names_its_month_and_ticks() {
    let project = Project::seed(&["131003001"]);
    clerks_monitoring(&project.root().join("监控.xlsx"));
    let output = project.run(&["import", "--form", "central-monitoring-2019", "--into", "specs/2024", "监控.xlsx"]);
    assert!(output.status.success(), "{}", text_of(&output));
    let dir = project.year().join("actuals/monitoring-06");
    let period = fs::read_to_string(dir.join("period.yaml")).unwrap();
    assert!(period.contains("month: 6"), "the month the headers name:\n{period}");
    let expected = expected_file(&project, "central-monitoring-2019");
    fs::write(
        &expected,
        "money:\n  fiscal: { budget: 25, spent: 12, forecast: 25 }\ngoal: 上半年办件 6100 件。\nindicators:\n\
         \x20 - name: 办件数据\n    actual: 6100 件\n    forecast: 12400 件\n    likelihood: 有可能\n\
         \x20 - name: 政务服务事项限时办结率\n    actual: 99.5%\n    forecast: 99.6%\n    causes: [人员保障]\n    likelihood: 有可能\n    reason: 窗口人员不足。\n",
    )
    .unwrap();
    assert_eq!(textconv(&project, &dir.join("131003001.yaml")), textconv(&project, &expected));
}
