//! Forms as data: `jixiao forms` lists every shipped form; `jixiao init --form` makes a
//! year from each form's example that passes `check` and builds, with every string of its
//! specs in its PDFs; the form's declared fields decide what a spec may and must hold.

use std::fs;
use std::path::PathBuf;

use crate::common::*;
use crate::scratch::Project;

/// A form's example made into `specs/<year>` and built: the scratch root and the text of
/// the PDF of project `code`, without whitespace.
fn example_pdf_text(form: &str, year: &str, code: &str) -> (Project, String) {
    let scratch = Project::empty();
    let root = scratch.root();
    assert!(jixiao_in(root, &["init", "--form", form, &format!("specs/{year}")]).status.success());
    let built = jixiao_in(root, &["build", "-q"]);
    assert!(built.status.success(), "{}", text_of(&built));
    let pdf = pdfs(&root.join("out").join(year)).into_iter().find(|p| p.to_string_lossy().contains(code)).unwrap();
    let text = squeeze(&pdf_text(&pdf));
    (scratch, text)
}

/// Every shipped form (a folder of templates/ with form.yaml).
fn shipped() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(repo().join("templates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("form.yaml").is_file())
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn forms_lists_every_shipped_form_with_its_description() {
    let output = jixiao(&["forms"]);
    assert!(output.status.success(), "{}", text_of(&output));
    let text = text_of(&output);
    assert!(shipped().len() >= 2, "at least the seed's form and the central one");
    for name in shipped() {
        let form = fs::read_to_string(repo().join("templates").join(&name).join("form.yaml")).unwrap();
        let description = form.lines().find_map(|l| l.strip_prefix("name: ")).unwrap();
        let line = text.lines().find(|l| l.trim_start().starts_with(&format!("{name} "))).unwrap_or_default();
        assert!(line.contains(description), "{name}: {text}");
        assert!(text.contains(&format!("jixiao init --form {name}")), "{name} ships an example: {text}");
    }
}

#[cfg(unix)]
#[test]
fn every_form_example_makes_a_year_that_checks_and_builds() {
    for name in shipped() {
        let scratch = Project::empty();
        let root = scratch.root();
        let made = jixiao_in(root, &["init", "--form", &name, "specs/2026"]);
        assert!(made.status.success(), "{name}: {}", text_of(&made));
        let checked = jixiao_in(root, &["check", "--deny-warnings"]);
        assert!(checked.status.success(), "{name}: the example is clean:\n{}", text_of(&checked));
        let built = jixiao_in(root, &["build", "-q"]);
        assert!(built.status.success(), "{name}: {}", text_of(&built));
        // The year is the folder's, in the department file and in texts that name it.
        let department = fs::read_to_string(root.join("specs/2026/department.yaml")).unwrap();
        assert!(department.contains("year: 2026"), "{name}: {department}");
        let pdfs = pdfs(&root.join("out/2026"));
        let report: &PathBuf =
            pdfs.iter().find(|p| !p.file_name().unwrap().to_str().unwrap().starts_with(char::is_numeric)).unwrap();
        let report_text = squeeze(&pdf_text(report));
        for spec in fs::read_dir(root.join("specs/2026/projects")).unwrap() {
            let spec = spec.unwrap().path();
            let code = spec.file_stem().unwrap().to_str().unwrap().to_string();
            let pdf = pdfs.iter().find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(&code)).unwrap();
            let text = squeeze(&pdf_text(pdf));
            // Every value but the code, which not every form prints (the central one does not).
            // and keys such as an indicator's `table: annual`, which name things and do not print.
            let is_key = |s: &str| s.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            for s in yaml_strings(&spec).into_iter().filter(|s| *s != code && !is_key(s)) {
                assert!(text.contains(&squeeze(&s)), "{name} {code}: the PDF lacks {s:?}:\n{text}");
                assert!(report_text.contains(&squeeze(&s)), "{name} {code}: the report lacks {s:?}");
            }
        }
        // init refuses to overwrite.
        let again = jixiao_in(root, &["init", "--form", &name, "specs/2026"]);
        assert_eq!(again.status.code(), Some(2), "{name}");
        assert!(text_of(&again).contains("不会覆盖"), "{name}: {}", text_of(&again));
    }
}

#[cfg(unix)]
#[test]
fn the_central_form_prints_its_own_cells() {
    let (_scratch, text) = example_pdf_text("central-2021", "2025", "101001001");
    for cell in [
        "项目支出绩效目标申报表",
        "（2025年度）",
        "主管部门及代码",
        "示例部委（101）",
        "项目属性延续项目",
        "项目期限2025-01至2027-12",
        "中期资金总额：1080",
        "年度资金总额：360",
        "中期目标",
        "年度目标",
        "成本指标经济成本指标运行维护费用≤360万元",
        "80%–90%",
    ] {
        assert!(text.contains(cell), "{cell} in:\n{text}");
    }
    // Slots without indicators do not print on this form; 成本 is its own 一级.
    assert!(!text.contains("生态环境成本指标"), "{text}");
    assert!(!text.contains("资金支出计划"), "{text}");
}

#[cfg(unix)]
#[test]
fn what_a_form_does_not_have_or_requires_is_said_in_its_words() {
    let scratch = Project::empty();
    let root = scratch.root();
    assert!(jixiao_in(root, &["init", "--form", "central-2021", "specs/2025"]).status.success());
    let spec = root.join("specs/2025/projects/101001001.yaml");
    let text = fs::read_to_string(&spec).unwrap();
    let edited = text
        .replace("competent_dept_code: \"101\"\n", "")
        .replace("attribute: 延续项目", "attribute: 续建")
        .replace("goal: 保障", "spending_plan: {12: 100}\ngoal: 保障");
    fs::write(&spec, edited).unwrap();
    let output = jixiao_in(root, &["check", "--message-format", "short"]);
    assert_eq!(output.status.code(), Some(1));
    let text = text_of(&output);
    assert!(
        text.contains("错误[E0103]: 此处没有字段 `spending_plan`（资金支出计划（%））：本表样没有这一栏"),
        "{text}"
    );
    assert!(text.contains("错误[E0104]: 缺少必填字段 `competent_dept_code`（主管部门代码）"), "{text}");
    // The shape is fixed first; then the choice.
    let fixed = fs::read_to_string(&spec)
        .unwrap()
        .replace("spending_plan: {12: 100}\n", "")
        .replace("competent_dept: 示例部委\n", "competent_dept: 示例部委\ncompetent_dept_code: \"101\"\n");
    fs::write(&spec, fixed).unwrap();
    let text = text_of(&jixiao_in(root, &["check", "--message-format", "short"]));
    assert!(
        text.contains(
            "错误[E0320]: “项目属性”（attribute）应是选项，写的是“续建”（提示：可选的值：新增项目、延续项目）"
        ),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn the_county_form_prints_two_indicator_tables_and_its_signatures() {
    let (_scratch, text) = example_pdf_text("county-2016", "2025", "608001001");
    for cell in [
        "填报单位（盖章）：示例县农业农村局",
        "主管部门编码608",
        "项目负责人王明",
        "资金总额：1500",
        "经营性收入：250",
        "项目立项的依据",
        "长期目标三年建成高标准农田3万亩",
        "长期绩效指标一级指标二级指标指标内容指标值备注产出指标数量指标建成高标准农田面积3万亩",
        "年度绩效指标一级指标二级指标指标内容指标值备注",
        "年度建成高标准农田面积1万亩分布在两个乡镇",
        "环境效益指标",
        "填报人：李华",
        "填报日期：2025-01-15",
    ] {
        assert!(text.contains(cell), "{cell} in:\n{text}");
    }
    // Each indicator is in its own table only.
    let long_term = text.find("长期绩效指标").unwrap();
    let annual = text.find("年度绩效指标").unwrap();
    assert!(text[long_term..annual].contains("项目区粮食亩产提高比例"));
    assert!(!text[long_term..annual].contains("工程验收合格率"));
    assert!(text[annual..].contains("工程验收合格率"));
}

#[cfg(unix)]
#[test]
fn amounts_may_carry_their_unit_or_be_blank_and_qualitative_values_are_not_parsed() {
    let scratch = Project::empty();
    let root = scratch.root();
    assert!(jixiao_in(root, &["init", "--form", "central-2021", "specs/2025"]).status.success());
    let spec = root.join("specs/2025/projects/101001001.yaml");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(&spec, text.replace("  fiscal: \"360\"\n  other: \"0\"\n", "  fiscal: 360万\n  other: \"\"\n")).unwrap();
    let clean = jixiao_in(root, &["check", "--deny-warnings"]);
    assert!(clean.status.success(), "{}", text_of(&clean));
    assert!(jixiao_in(root, &["build", "-q"]).status.success());
    let pdf = pdfs(&root.join("out/2025")).into_iter().find(|p| p.to_string_lossy().contains("101001001")).unwrap();
    assert!(squeeze(&pdf_text(&pdf)).contains("年度资金总额：360"), "the total of 360万 and a blank");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(&spec, text.replace("fiscal: 360万", "fiscal: 3600000 元")).unwrap();
    let wrong_unit = text_of(&jixiao_in(root, &["check", "--message-format", "short"]));
    assert!(
        wrong_unit.contains("错误[E0315]: `fiscal`（财政拨款）的单位“元”与本年度的金额单位“万元”不同"),
        "{wrong_unit}"
    );

    // On the seed's form, a value whose 指标值类型 is 定性 is printed as written.
    let scratch = Project::empty();
    let root = scratch.root();
    assert!(jixiao_in(root, &["init", "--form", "hebei-2024", "specs/2024"]).status.success());
    let spec = root.join("specs/2024/projects/131003001.yaml");
    let text = fs::read_to_string(&spec).unwrap();
    let loose = text.replace(
        "    value: 100%\n    basis: 依据相关文件要求",
        "    value: 约 2 次（视情况）\n    basis: 依据相关文件要求",
    );
    fs::write(&spec, &loose).unwrap();
    assert!(text_of(&jixiao_in(root, &["check", "--message-format", "short"])).contains("[E0314]"));
    fs::write(
        &spec,
        loose.replace("    value: 约 2 次（视情况）\n", "    value: 约 2 次（视情况）\n    value_type: 定性\n"),
    )
    .unwrap();
    let accepted = jixiao_in(root, &["check", "--message-format", "short"]);
    assert!(accepted.status.success(), "{}", text_of(&accepted));
}

#[cfg(unix)]
#[test]
fn a_form_adds_a_unit_level_field_editing_only_its_folder() {
    // A new form made from the central one, as a user would: a copy, one declaration, one
    // cell in the template, one line in the example.
    let scratch = Project::empty();
    let root = scratch.root();
    let form = root.join("templates/unit-form");
    fs::remove_file(root.join("templates")).unwrap();
    copy_tree(&repo().join("templates/shared"), &root.join("templates/shared"));
    copy_tree(&repo().join("templates/central-2021"), &form);
    let yaml = fs::read_to_string(form.join("form.yaml")).unwrap();
    fs::write(
        form.join("form.yaml"),
        format!("{yaml}department_fields:\n  - {{ key: unit_code, label: 单位代码, required: true }}\n"),
    )
    .unwrap();
    let table = fs::read_to_string(form.join("table.typ.j2")).unwrap();
    fs::write(
        form.join("table.typ.j2"),
        table.replace(
            "[{{ form.labels.unit }}{{ money_unit }}]",
            "[单位代码：{{ department.extra.unit_code }} {{ form.labels.unit }}{{ money_unit }}]",
        ),
    )
    .unwrap();
    let department = fs::read_to_string(form.join("example/department.yaml")).unwrap();
    fs::write(
        form.join("example/department.yaml"),
        department
            .replace("form: central-2021", "form: unit-form")
            .replace("money_unit: 万元", "money_unit: 万元\nunit_code: A01"),
    )
    .unwrap();
    let made = jixiao_in(root, &["init", "--form", "unit-form", "specs/2025"]);
    assert!(made.status.success(), "{}", text_of(&made));
    let built = jixiao_in(root, &["build", "-q"]);
    assert!(built.status.success(), "{}", text_of(&built));
    let pdf = pdfs(&root.join("out/2025")).into_iter().find(|p| p.to_string_lossy().contains("101001001")).unwrap();
    assert!(squeeze(&pdf_text(&pdf)).contains("单位代码：A01"));
    let path = root.join("specs/2025/department.yaml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("unit_code: A01", "unit_cod: A01")).unwrap();
    let checked = text_of(&jixiao_in(root, &["check", "--message-format", "short"]));
    assert!(checked.contains("错误[E0103]: 未知字段 `unit_cod`，您是不是想写 `unit_code`（单位代码）？"), "{checked}");
    fs::write(&path, text.replace("unit_code: A01\n", "")).unwrap();
    let checked = text_of(&jixiao_in(root, &["check", "--message-format", "short"]));
    assert!(checked.contains("错误[E0104]: 缺少必填字段 `unit_code`（单位代码）"), "{checked}");
}

#[test]
fn a_level_declared_twice_is_an_error_at_its_second_place() {
    let project = project_with_own_forms();
    let form = project.root().join("templates/hebei-2024/form.yaml");
    let text = fs::read_to_string(&form).unwrap();
    for (extra, line, message) in [
        ("  - label: 产出指标\n    slots: [数量指标]\n", 42, "一级指标“产出指标”在 levels 中写了两次"),
        ("  - label: 其他指标\n    slots: [数量指标]\n", 43, "二级指标“数量指标”既在“产出指标”下，又在“其他指标”下"),
    ] {
        fs::write(&form, text.replace("cost_slots:", &format!("{extra}cost_slots:"))).unwrap();
        let output = jixiao_in(project.root(), &["check", "--message-format", "short"]);
        let said = text_of(&output);
        assert_eq!(output.status.code(), Some(1), "{said}");
        let at = format!("form.yaml:{line}:");
        assert!(said.contains(&at) && said.contains("E0202") && said.contains(message), "{said}");
    }
}

#[test]
fn the_form_says_where_the_summary_amount_comes_from() {
    let project = project_with_own_forms();
    let form = project.root().join("templates/hebei-2024/form.yaml");
    let text = fs::read_to_string(&form).unwrap();
    fs::write(&form, text.replace("cost_slots:", "amount_from: funds\ncost_slots:")).unwrap();
    // Without a money block: said at the code, not a silent blank.
    let output = jixiao_in(project.root(), &["check", "--message-format", "short"]);
    let said = text_of(&output);
    assert!(said.contains("131003001.yaml:2:7: 警告[W0213]") && said.contains("funds"), "{said}");
    // With one: its parts are the amount, in the summary and its total.
    let spec = project.root().join("specs/2024/projects/131003001.yaml");
    let written = fs::read_to_string(&spec).unwrap();
    fs::write(&spec, written.replace("goal:", "funds:\n  fiscal: \"30\"\n  other: \"7.5\"\ngoal:")).unwrap();
    let output = jixiao_in(project.root(), &["build", "--message-format", "short"]);
    assert!(!text_of(&output).contains("W0213"), "{}", text_of(&output));
    let report = pdfs(&project.root().join("out/2024"))
        .into_iter()
        .find(|p| !p.to_string_lossy().contains("131003001"))
        .unwrap();
    let summary = squeeze(&pdf_text(&report));
    assert!(summary.contains("1131003001政务服务中心工作37.5合计37.5"), "{summary}");
    // A key that is not a money field of the form is the form's error.
    fs::write(&form, text.replace("cost_slots:", "amount_from: purpose\ncost_slots:")).unwrap();
    let output = jixiao_in(project.root(), &["check"]);
    assert!(text_of(&output).contains("E0202") && text_of(&output).contains("amount_from"), "{}", text_of(&output));
}

#[test]
fn the_form_decides_which_identity_fields_exist() {
    let project = project_with_own_forms();
    let form = project.root().join("templates/hebei-2024/form.yaml");
    let form_text = fs::read_to_string(&form).unwrap();
    let year = project.root().join("specs/2024");
    // A project known by its file name, a department without a code or an introduction.
    let spec = fs::read_to_string(year.join("projects/131003001.yaml")).unwrap();
    fs::remove_file(year.join("projects/131003001.yaml")).unwrap();
    fs::write(year.join("projects/政务服务.yaml"), spec.replace("code: \"131003001\"\n", "")).unwrap();
    let department = fs::read_to_string(year.join("department.yaml")).unwrap();
    let intro_start = department.find("  intro:").unwrap();
    let intro_end = intro_start + department[intro_start..].find("\n  goals:").unwrap() + 1;
    let without =
        format!("{}{}", &department[..intro_start], &department[intro_end..]).replace("  code: \"131003\"\n", "");
    fs::write(year.join("department.yaml"), &without).unwrap();
    // The seed's form requires them: each missing one is an error.
    let output = jixiao_in(project.root(), &["check", "--message-format", "short"]);
    let said = text_of(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    for missing in ["`code`", "`intro`"] {
        assert!(said.lines().any(|l| l.contains("E0104") && l.contains(missing)), "{missing}: {said}");
    }
    // A form that has none of them: clean, built, the table named after its file.
    let identity = "identity: { project_code: false, department_code: false, intro: false }\ncost_slots:";
    fs::write(&form, form_text.replace("cost_slots:", identity)).unwrap();
    let output = jixiao_in(project.root(), &["build", "--message-format", "short"]);
    let said = text_of(&output);
    assert!(output.status.success() && said.contains("0 个错误"), "{said}");
    let tables = pdfs(&project.root().join("out/2024"));
    assert!(tables.iter().any(|p| p.file_name().unwrap().to_string_lossy().starts_with("政务服务-")), "{tables:?}");
    // Written anyway, a code is still checked.
    fs::write(year.join("projects/政务服务.yaml"), &spec).unwrap();
    let said = text_of(&jixiao_in(project.root(), &["check", "--message-format", "short"]));
    assert!(said.contains("E0304"), "{said}");
}

/// A scratch project of the seed's first project with a copy of the forms (to edit).
fn project_with_own_forms() -> Project {
    let project = Project::seed(&["131003001"]);
    fs::remove_file(project.root().join("templates")).unwrap();
    copy_tree(&repo().join("templates"), &project.root().join("templates"));
    project
}
