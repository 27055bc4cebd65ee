//! The whole year: the actual figures beside the targets built into self-evaluation and
//! monitoring tables, every score read back from its cell and checked against a hand
//! computation, the column adding up on paper, periods built incrementally and
//! byte-reproducibly, started from the targets by `init`, compared by `diff`, shown by
//! `textconv`, and left behind by `new-year`.

use std::fs;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::common::*;
use crate::pdf::{self, Cell, row_of};
use crate::scratch::Project;

/// The worked example (`specs/example/2024`, targets and actuals) in a scratch project.
fn example() -> Project {
    let scratch = Project::empty();
    copy_tree(&repo().join("specs/example"), &scratch.root().join("specs/example"));
    scratch
}

fn year_end(scratch: &Project) -> PathBuf {
    scratch.root().join("out/example/2024/year-end")
}

/// The PDF of the period folder `dir` whose name starts with `code`.
fn pdf_of(dir: &Path, code: &str) -> PathBuf {
    pdfs(dir).into_iter().find(|p| p.file_name().unwrap().to_string_lossy().starts_with(code)).unwrap()
}

/// Each row of a table, from the cell reading `first` rightwards.
fn row_from<'a>(cells: &'a [Cell], first: &str) -> Vec<&'a str> {
    let cell = cells.iter().find(|c| c.text == squeeze(first)).unwrap_or_else(|| panic!("a cell reading {first}"));
    row_of(cells, cell.page, cell.top, cell.bottom)
        .into_iter()
        .filter(|c| c.left >= cell.left - 0.6)
        .map(|c| c.text.as_str())
        .collect()
}

#[test]
fn every_score_of_the_worked_example_is_read_back_in_its_cell() {
    let scratch = example();
    let built = scratch.run(&["build", "-q"]);
    assert!(built.status.success(), "{}", text_of(&built));
    let cells = pdf::read(&pdf_of(&year_end(&scratch), "131003001")).cells();
    // By hand: 产出 50 over four rows (12.5 each), 效果 30, 满意度 10, execution 10.
    // 限时办结率 100% → 99.6%: 12.5 × 99.6 / 100 = 12.45. Execution 24.3 / 25 = 97.2 %: 9.72.
    // Total 12.5 × 3 + 12.45 + 30 + 10 + 9.72 = 99.67, 优.
    let expected = [
        ["办件数据", "10000以上", "12650件", "12.5", "12.50"],
        ["审批结果准确性", "100%", "100%", "12.5", "12.50"],
        ["政务服务事项限时办结率", "100%", "99.6%", "12.5", "12.45"],
        ["财政保障经费", "25万元", "24.3万元", "12.5", "12.50"],
        ["事项进驻率", "85%以上", "87%", "30", "30.00"],
        ["办事群众满意度", "98%以上", "99.2%", "10", "10.00"],
    ];
    for row in expected {
        let read = row_from(&cells, row[0]);
        assert_eq!(&read[..5], row, "{read:?}");
    }
    assert_eq!(row_from(&cells, "年度资金总额"), ["年度资金总额", "25", "25", "24.3", "10", "97.20%", "9.72"]);
    assert_eq!(row_from(&cells, "总分"), ["总分", "100", "99.67", "自评等级：优"]);
    assert!(
        row_from(&cells, "政务服务事项限时办结率")[5].contains("个别事项因申请材料需补正"),
        "the reason in its cell"
    );
    // A score adjusted by hand is printed, with the rule's score given up: 12 (rule 12.34).
    let cells = pdf::read(&pdf_of(&year_end(&scratch), "131003004")).cells();
    assert_eq!(
        &row_from(&cells, "政务服务事项限时办结率")[..5],
        ["政务服务事项限时办结率", "100%", "98.7%", "12.5", "12.00"]
    );
    // A qualitative row: its grade and the score the clerk gave within the grade's band.
    assert_eq!(&row_from(&cells, "行政审事工作")[..5], ["行政审事工作", "良好", "达成年度指标", "30", "30.00"]);
}

#[test]
fn every_table_adds_up_and_the_summary_repeats_each_total() {
    let scratch = example();
    assert!(scratch.run(&["build", "-q"]).status.success());
    let report = pdfs(&year_end(&scratch)).into_iter().find(|p| p.to_string_lossy().contains("自评.pdf")).unwrap();
    let summary = pdf::read(&report).cells();
    for spec in fs::read_dir(scratch.root().join("specs/example/2024/projects")).unwrap() {
        let spec: serde_json::Value =
            serde_saphyr::from_str(&fs::read_to_string(spec.unwrap().path()).unwrap()).unwrap();
        let code = spec["code"].as_str().unwrap();
        let cells = pdf::read(&pdf_of(&year_end(&scratch), code)).cells();
        let number = |t: &str| t.parse::<Decimal>().unwrap_or_else(|_| panic!("{code}: {t:?} is a number"));
        let mut sum = number(row_from(&cells, "年度资金总额")[6]);
        for indicator in spec["indicators"].as_array().unwrap() {
            sum += number(row_from(&cells, indicator["name"].as_str().unwrap())[4]);
        }
        let total = row_from(&cells, "总分")[2].to_string();
        assert_eq!(number(&total), sum, "{code}: the printed scores add up to the printed total");
        let line = row_from(&summary, code);
        assert_eq!(line[5], total, "{code}: the summary repeats the table's total: {line:?}");
    }
}

#[test]
fn periods_are_built_incrementally_and_byte_for_byte_again() {
    let scratch = example();
    assert!(scratch.run(&["build", "-q"]).status.success());
    let first: Vec<(PathBuf, Vec<u8>)> = scratch.out_files();
    assert!(first.iter().any(|(p, _)| p.to_string_lossy().contains("year-end")), "the period's PDFs are written");
    let again = scratch.run(&["build"]);
    assert!(text_of(&again).contains("生成 0 个，未变化 18 个"), "nothing is typeset again:\n{}", text_of(&again));
    // Another project folder, the same bytes.
    let other = example();
    assert!(other.run(&["build", "-q"]).status.success());
    // The PDFs (the manifests name their own folder).
    let strip = |files: Vec<(PathBuf, Vec<u8>)>, root: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        files
            .into_iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == "pdf"))
            .map(|(p, b)| (p.strip_prefix(root).unwrap_or(&p).to_path_buf(), b))
            .collect()
    };
    assert!(strip(first.clone(), scratch.root()) == strip(other.out_files(), other.root()), "byte-reproducible");
    // One actual changed: its table and the period's report, nothing else.
    let actuals = scratch.root().join("specs/example/2024/actuals/year-end/131003001.yaml");
    let text = fs::read_to_string(&actuals).unwrap().replace("actual: 99.6%", "actual: 100%");
    fs::write(&actuals, text).unwrap();
    let rebuilt = scratch.run(&["build", "-v"]);
    let said = text_of(&rebuilt);
    assert!(said.contains("生成 2 个，未变化 16 个"), "{said}");
    let cells = pdf::read(&pdf_of(&year_end(&scratch), "131003001")).cells();
    assert_eq!(row_from(&cells, "政务服务事项限时办结率")[4], "12.50", "never stale");
    // A period's PDF removed by hand is made again.
    fs::remove_file(pdf_of(&year_end(&scratch), "131003002")).unwrap();
    assert!(text_of(&scratch.run(&["build"])).contains("生成 1 个"));
}

#[test]
fn init_lists_every_indicator_of_the_targets_and_check_asks_for_each_figure() {
    let scratch = Project::seed(&["131003001"]);
    let made = scratch.run(&["init", "--form", "central-evaluation-2020", "specs/2024"]);
    assert!(made.status.success(), "{}", text_of(&made));
    let file = scratch.root().join("specs/2024/actuals/year-end/131003001.yaml");
    let text = fs::read_to_string(&file).unwrap();
    for name in ["办件数据", "审批结果准确性", "政务服务事项限时办结率", "财政保障经费", "事项进驻率", "办事群众满意度"]
    {
        assert!(text.contains(&format!("- name: {name}\n")), "{name} listed:\n{text}");
    }
    assert!(text.contains("指标值：10000 以上"), "the target beside it, in a comment");
    let checked = scratch.run(&["check", "--message-format", "short"]);
    let said = text_of(&checked);
    assert_eq!(checked.status.code(), Some(1), "{said}");
    assert_eq!(said.matches("[E0506]").count(), 6, "each blank figure, at its line:\n{said}");
    assert!(said.contains("[E0513]"), "the money too:\n{said}");
    // Filled in as a clerk would, it builds.
    let filled = text
        .replacen("    budget:\n", "    budget: 25\n", 1)
        .replacen("    adjusted:\n", "    adjusted: 25\n", 1)
        .replacen("    spent:\n", "    spent: 25\n", 1)
        .replace("    actual:\n", "    actual: 100%\n")
        .replacen("- name: 办件数据\n    actual: 100%", "- name: 办件数据\n    actual: 12000", 1)
        .replacen(
            "- name: 财政保障经费\n    actual: 100%",
            "- name: 财政保障经费\n    actual: 25 万元\n    direction: 反向",
            1,
        )
        .replacen("- name: 事项进驻率\n    actual: 100%", "- name: 事项进驻率\n    actual: 90%", 1)
        .replacen("- name: 办事群众满意度\n    actual: 100%", "- name: 办事群众满意度\n    actual: 99%", 1);
    fs::write(&file, filled).unwrap();
    let built = scratch.run(&["build", "-q"]);
    assert!(built.status.success(), "{}", text_of(&built));
    assert!(pdfs(&scratch.root().join("out/2024/year-end")).len() == 2, "the table and the report");
    // A second init does not overwrite it.
    let again = scratch.run(&["init", "--form", "central-evaluation-2020", "specs/2024"]);
    assert!(!again.status.success() && text_of(&again).contains("不会覆盖"));
}

#[test]
fn diff_shows_a_figure_and_the_scores_it_moves() {
    let (a, b) = (example(), example());
    let file = b.root().join("specs/example/2024/actuals/year-end/131003001.yaml");
    fs::write(&file, fs::read_to_string(&file).unwrap().replace("actual: 99.6%", "actual: 100%")).unwrap();
    let old = a.root().join("specs/example/2024");
    let new = b.root().join("specs/example/2024");
    let output = jixiao(&["diff", "--dirs", old.to_str().unwrap(), new.to_str().unwrap(), "--color", "never"]);
    let said = text_of(&output);
    assert_eq!(output.status.code(), Some(1), "something changed:\n{said}");
    for line in [
        "实际数据 actuals/year-end/",
        "修改 131003001 政务服务中心工作",
        "政务服务事项限时办结率 · 实际完成值：99.6% → 100%（+0.4 个百分点）",
        "政务服务事项限时办结率 · 得分：12.45 → 12.50（+0.05）",
        "总分：99.67 → 99.72（+0.05）",
    ] {
        assert!(said.contains(line), "{line}:\n{said}");
    }
}

#[test]
fn textconv_shows_an_actuals_file_field_by_field() {
    let path = repo().join("specs/example/2024/actuals/year-end/131003004.yaml");
    let output = jixiao(&["textconv", path.to_str().unwrap()]);
    let said = text_of(&output);
    assert!(said.contains("资金 · 其中：当年财政拨款：年初预算数 330，全年预算数 330，执行数 326.4"), "{said}");
    assert!(said.contains("政务服务事项限时办结率\n  实际完成值：98.7%\n  得分：12\n  调整得分的理由："), "{said}");
    assert!(!said.contains('#'), "no comments");
}

#[test]
fn new_year_leaves_a_years_actual_figures_behind() {
    let scratch = Project::seed(&["131003001"]);
    assert!(scratch.run(&["init", "--form", "central-evaluation-2020", "specs/2024"]).status.success());
    let output = scratch.run(&["new-year", "2025"]);
    assert!(output.status.success(), "{}", text_of(&output));
    assert!(!scratch.root().join("specs/2025/actuals").exists());
    assert!(scratch.root().join("specs/2025/projects/131003001.yaml").is_file());
    assert!(
        text_of(&output).contains("实际数据（actuals/，监控和自评）属于 2024 年度，没有复制"),
        "{}",
        text_of(&output)
    );
}

#[test]
fn the_monitoring_table_ticks_its_causes_and_likelihood_in_their_columns() {
    let scratch = Project::empty();
    assert!(scratch.run(&["init", "--form", "central-monitoring-2019", "specs/2024"]).status.success());
    let built = scratch.run(&["build", "-q"]);
    assert!(built.status.success(), "{}", text_of(&built));
    let dir = scratch.root().join("out/2024/monitoring-07");
    let cells = pdf::read(&pdf_of(&dir, "131003001")).cells();
    // Ticked: 人员保障 and 有可能 (see the example's YAML), each under its own column.
    let row = row_from(&cells, "政务服务事项限时办结率");
    assert_eq!(&row[..4], ["政务服务事项限时办结率", "100%", "99.5%", "99.6%"]);
    let name = cells.iter().find(|c| c.text == "政务服务事项限时办结率").unwrap();
    let column_of = |tick: &Cell| -> String {
        let header =
            cells.iter().filter(|c| c.page == tick.page && (c.left - tick.left).abs() < 0.6 && c.top < name.top);
        header.max_by(|a, b| a.top.total_cmp(&b.top)).map(|c| c.text.clone()).unwrap_or_default()
    };
    let ticked: Vec<String> =
        row_of(&cells, name.page, name.top, name.bottom).into_iter().filter(|c| c.text == "√").map(column_of).collect();
    assert_eq!(ticked, ["人员保障", "有可能"], "{row:?}");
    assert_eq!(row_from(&cells, "年度资金总额"), ["年度资金总额", "25", "14.6", "58.40%", "25"]);
    let text = squeeze(&pdf_text(&pdf_of(&dir, "131003001")));
    assert!(text.contains("1-7月执行数") && text.contains("1-7月执行情况"), "{text}");
}

#[test]
fn the_sichuan_table_splits_the_value_and_weighs_each_row() {
    let scratch = Project::empty();
    assert!(scratch.run(&["init", "--form", "sichuan-evaluation-2023", "specs/2024"]).status.success());
    let built = scratch.run(&["build", "-q"]);
    assert!(built.status.success(), "{}", text_of(&built));
    let cells = pdf::read(&pdf_of(&scratch.root().join("out/2024/year-end"), "131003005")).cells();
    // 指标性质, 指标值, 度量单位 apart; the weight written on the row; 168 / 210 = 80 % < 90 %, explained.
    assert_eq!(&row_from(&cells, "企业满意度")[..7], ["企业满意度", "≥", "98", "%", "98.5%", "10", "10.00"]);
    assert_eq!(&row_from(&cells, "项目数量")[..7], ["项目数量", "=", "2", "个", "2个", "15", "15.00"]);
    let money = row_from(&cells, "总额");
    assert_eq!(money, ["总额", "210", "210", "168", "80.00%", "10", "8.00"], "{money:?}");
    let total = cells.iter().find(|c| c.text == "总额").unwrap();
    let reason = cells.iter().find(|c| c.text.contains("尾款")).expect("the reason of a rate under 90 %");
    assert!((reason.top - total.top).abs() < 0.6 && reason.left > total.left, "beside the total row");
}

#[test]
fn preview_prints_a_period_table_or_the_whole_period() {
    let scratch = example();
    let file = "specs/example/2024/actuals/year-end/131003002.yaml";
    let one = scratch.run(&["preview", file, "-o", "one", "--ppi", "40"]);
    assert!(one.status.success(), "{}", text_of(&one));
    let made: Vec<_> = fs::read_dir(scratch.root().join("one")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(made[0].to_string_lossy().starts_with("131003002-公共资源交易中心工作-绩效自评表-1"), "{made:?}");
    let all = scratch.run(&["preview", "specs/example/2024/actuals/year-end", "-o", "all", "--ppi", "40"]);
    assert!(all.status.success(), "{}", text_of(&all));
    assert!(fs::read_dir(scratch.root().join("all")).unwrap().count() > 8, "every table and the report's pages");
    assert!(!scratch.root().join("out").exists(), "preview writes nothing to out/");
}

#[test]
fn a_form_declares_fields_of_its_own_and_they_reach_the_table() {
    let scratch = Project::seed(&["131003001"]);
    let form = scratch.own_forms_with("central-evaluation-2020");
    let yaml = fs::read_to_string(form.join("form.yaml")).unwrap().replace(
        "  money_columns: [budget, adjusted, spent]\n",
        "  money_columns: [budget, adjusted, spent]\n  fields:\n    - { key: evidence, label: 佐证材料, on: indicator }\n    - { key: contact, label: 填报人, on: project }\n",
    );
    fs::write(form.join("form.yaml"), yaml).unwrap();
    let table = fs::read_to_string(form.join("table.typ.j2")).unwrap().replacen(
        "{{ r.measure }}",
        "{{ r.measure }}{{ r.extra.evidence }}",
        1,
    );
    fs::write(form.join("table.typ.j2"), format!("{table}#text[{{{{ p.extra.contact }}}}]\n")).unwrap();
    for name in ["period.yaml", "131003001.yaml"] {
        let to = format!("specs/2024/actuals/year-end/{name}");
        scratch.copy_from_repo(&format!("specs/example/2024/actuals/year-end/{name}"), &to);
    }
    let file = scratch.root().join("specs/2024/actuals/year-end/131003001.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let with_own = text
        .replace("  - name: 办事群众满意度\n", "  - name: 办事群众满意度\n    evidence: 好差评系统导出表\n")
        + "contact: 王五\n";
    fs::write(&file, &with_own).unwrap();
    let built = scratch.run(&["build", "-q"]);
    assert!(built.status.success(), "{}", text_of(&built));
    let printed = squeeze(&pdf_text(&pdf_of(&scratch.root().join("out/2024/year-end"), "131003001")));
    assert!(printed.contains("好差评系统导出表") && printed.contains("王五"), "{printed}");
    let textconv = text_of(&scratch.run(&["textconv", file.to_str().unwrap()]));
    assert!(textconv.contains("  佐证材料：好差评系统导出表") && textconv.contains("填报人：王五"), "{textconv}");
    // A key the form does not declare: located, with the nearest one offered.
    fs::write(&file, with_own.replace("evidence:", "evidense:")).unwrap();
    let checked = scratch.run(&["check", "--message-format", "short"]);
    let said = text_of(&checked);
    assert_eq!(checked.status.code(), Some(1), "{said}");
    assert!(
        said.contains("131003001.yaml:") && said.contains("[E0103]") && said.contains("`evidence`（佐证材料）"),
        "{said}"
    );
}

#[test]
fn an_indicator_that_does_not_apply_gives_its_points_to_the_others() {
    let scratch = example();
    let file = scratch.root().join("specs/example/2024/actuals/year-end/131003001.yaml");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("  - name: 审批结果准确性\n", "  - name: 审批结果准确性\n    applies: false\n");
    fs::write(&file, text).unwrap();
    assert!(scratch.run(&["build", "-q"]).status.success());
    let cells = pdf::read(&pdf_of(&year_end(&scratch), "131003001")).cells();
    assert_eq!(&row_from(&cells, "审批结果准确性")[..4], ["审批结果准确性", "100%", "100%", "不适用"]);
    // Its 12.5 points shared by the other rows in proportion (90 → 77.5 + 12.5): 12.5 × 90 / 77.5.
    assert_eq!(row_from(&cells, "办件数据")[3], "14.52");
    let number = |t: &str| t.parse::<Decimal>().unwrap();
    let mut sum = number(row_from(&cells, "年度资金总额")[6]);
    for name in ["办件数据", "政务服务事项限时办结率", "财政保障经费", "事项进驻率", "办事群众满意度"]
    {
        sum += number(row_from(&cells, name)[4]);
    }
    assert_eq!(number(row_from(&cells, "总分")[2]), sum, "the column still adds up");
    assert_eq!(row_from(&cells, "总分")[1], "100", "the points are still 100");
}

#[test]
fn an_execution_rate_under_the_forms_threshold_needs_its_reason() {
    let scratch = Project::empty();
    assert!(scratch.run(&["init", "--form", "sichuan-evaluation-2023", "specs/2024"]).status.success());
    let file = scratch.root().join("specs/2024/actuals/year-end/131003005.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let without = text.lines().filter(|l| !l.starts_with("money_reason:")).collect::<Vec<_>>().join("\n") + "\n";
    fs::write(&file, without).unwrap();
    let checked = scratch.run(&["check", "--message-format", "short"]);
    let said = text_of(&checked);
    assert_eq!(checked.status.code(), Some(1), "{said}");
    assert!(
        said.contains("131003005.yaml:") && said.contains("[E0510]") && said.contains("预算执行率 80% 低于 90%"),
        "{said}"
    );
    // Too long a reason is refused too (100 characters at most).
    let long =
        text.replace("money_reason: 第二个评估项目", &format!("money_reason: {}第二个评估项目", "很".repeat(100)));
    fs::write(&file, long).unwrap();
    assert!(text_of(&scratch.run(&["check", "--message-format", "short"])).contains("不超过 100 个字"));
}
