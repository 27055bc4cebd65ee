//! Every built-in text field is described once (`model::catalog`) and read from there by
//! every place that shows it: written in a spec (trimmed once), it is in the shape check
//! and the JSON Schema under its label, in `textconv`, in the diff and in the view the
//! templates receive. A field added to the catalog is covered here without a new test.

use std::path::Path;

use jixiao::diag::Sources;
use jixiao::form::Form;
use jixiao::model::ProjectSpec;
use jixiao::model::catalog::{self, About, Holds, Need};
use jixiao::spec::load::parse_spec;

use crate::common::{repo, text_of};
use crate::scratch::Project;

/// The built-in text fields a form may turn on.
fn declarable(list: &'static [About]) -> impl Iterator<Item = &'static About> {
    list.iter().filter(|a| a.holds == Holds::Text && a.need != Need::Core)
}

/// The seed's form, with every built-in field turned on and none required.
fn form() -> Form {
    let mut form = Form::load(&repo().join("templates"), "hebei-2024", &mut Sources::default()).expect("the form");
    for field in form.fields.project.iter_mut().chain(form.fields.indicator.iter_mut()) {
        field.required = false;
    }
    form
}

#[test]
fn every_catalog_text_field_is_read_checked_shown_diffed_and_printed() {
    let form = form();
    let schema = jixiao::validate::json_schema::project(&form).to_string();
    let mut project = String::from("code: \"131003001\"\nname: 项目\n");
    for about in declarable(catalog::PROJECT) {
        project.push_str(&format!("{}: \"  写的{}  \"\n", about.key, about.key));
    }
    project.push_str("indicators:\n  - level1: 产出指标\n    level2: 数量指标\n    name: 指标\n    value: 1 件\n");
    for about in declarable(catalog::INDICATOR) {
        project.push_str(&format!("    {}: \"  写的{}  \"\n", about.key, about.key));
    }
    let spec: ProjectSpec = parse_spec(Path::new("131003001.yaml"), &project, &form.fields).expect("parses");
    let textconv = jixiao::spec::text_form::project(&spec, Some(&form));
    let flat = jixiao::review::flat::project(&spec, &form);
    let flat_indicator = jixiao::review::flat::indicator(&spec.indicators[0]);
    let view = jixiao::view::project(&form, 2024, &spec);
    let indicator_view = &view.levels[0].slots[0].indicators[0];
    for about in declarable(catalog::PROJECT) {
        let written = format!("写的{}", about.key);
        assert_eq!(spec.text(about.key).map(|t| t.value.as_str()), Some(written.as_str()), "read, trimmed");
        assert!(schema.contains(&format!("\"{}\"", about.key)) && schema.contains(about.label), "{}", about.key);
        assert!(textconv.contains(&format!("{}：{written}\n", about.label)), "{}:\n{textconv}", about.key);
        assert!(flat.iter().any(|f| f.key == about.key && f.label == about.label && f.value == written));
        assert_eq!(view.texts.get(about.key), Some(&written), "{}", about.key);
    }
    for about in declarable(catalog::INDICATOR) {
        let written = format!("写的{}", about.key);
        assert!(textconv.contains(&format!("  {}：{written}\n", about.label)), "{}:\n{textconv}", about.key);
        assert!(flat_indicator.iter().any(|f| f.key == about.key && f.label == about.label && f.value == written));
        assert_eq!(indicator_view.texts.get(about.key), Some(&written), "{}", about.key);
    }
}

#[test]
fn a_written_text_is_checked_by_its_description() {
    // 项目资金主要用途 must say something when written; 指标值确定依据 may wait (blank_ok).
    let project = Project::clean();
    let spec = project.spec("131003001");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(
        &spec,
        text.replace("purpose: 日常办公", "purpose: \"  \"").replace("basis: 问卷调查", "basis: \" \""),
    )
    .unwrap();
    let output = project.run(&["check", "--message-format", "short"]);
    let said = text_of(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("`purpose`（项目资金主要用途）不能为空"), "{said}");
    assert!(!said.contains("`basis`"), "a blank basis is only the lint's business:\n{said}");
}

#[test]
fn numbers_in_text_fields_are_kept_as_written() {
    let form = form();
    let yaml = "code: \"131003001\"\nname: 项目\npurpose: 1.50\ngoal: |\n  2.0\nindicators:\n  - level1: 产出指标\n    level2: 数量指标\n    name: 指标\n    value: 1 件\n    weight: 10.50  # 权重\n    basis: 007\n    unit: \"3.10\"\n    explanation: yes\n";
    let spec: ProjectSpec = parse_spec(Path::new("131003001.yaml"), yaml, &form.fields).expect("parses");
    let text = |key: &str| spec.text(key).map(|t| t.value.clone());
    let indicator = |key: &str| spec.indicators[0].text(key).map(|t| t.value.clone());
    assert_eq!(text("purpose").as_deref(), Some("1.50"), "a plain number as written");
    assert_eq!(text("goal").as_deref(), Some("2.0"), "a block scalar, trimmed");
    assert_eq!(indicator("weight").as_deref(), Some("10.50"), "without its comment");
    assert_eq!(indicator("basis").as_deref(), Some("007"));
    assert_eq!(indicator("unit").as_deref(), Some("3.10"), "quoted");
    assert_eq!(indicator("explanation").as_deref(), Some("yes"), "not a boolean");
}
