//! Every field of a spec reaches the view, so a template can print any of them.

use std::path::Path;

use jixiao::diag::Sources;
use jixiao::form::Form;
use jixiao::model::ProjectSpec;
use jixiao::spec::load::parse_spec;

const FULL: &str = r#"code: "131003001"
name: 项目名称
purpose: 资金用途
spending_plan: {3: 10, 6: 50, 10: 75, 12: 100}
goal: 年度目标
mid_term_goal: 中期目标
competent_dept: 主管部门
implementing_unit: 实施单位
attribute: 延续
period: {start: 2024-01, end: 2026-12}
funds: {fiscal: "100.5", other: "20", carryover: "1,000"}
indicators:
  - level1: 产出指标
    level2: 数量指标
    name: 三级指标
    description: 指标描述
    value: 10 件以上
    basis: 依据
    value_type: 定量
    unit: 件
    weight: "10"
    explanation: 指标解释
    scoring: 评分标准
"#;

#[test]
fn every_spec_field_reaches_the_view() {
    let mut sources = Sources::default();
    let form = Form::load(&crate::common::repo().join("templates"), "hebei-2024", &mut sources).expect("the form");
    let spec: ProjectSpec = parse_spec(Path::new("full.yaml"), FULL, &form.fields).expect("parses");
    let view = jixiao::view::project(&form, 2024, &spec);
    assert_eq!(
        [
            &view.code,
            &view.name,
            &view.texts["purpose"],
            &view.texts["goal"],
            &view.texts["mid_term_goal"],
            &view.texts["competent_dept"]
        ],
        ["131003001", "项目名称", "资金用途", "年度目标", "中期目标", "主管部门"]
    );
    assert_eq!([&view.texts["implementing_unit"], &view.texts["attribute"]], ["实施单位", "延续"]);
    assert_eq!([&view.period.start, &view.period.end], ["2024-01", "2026-12"]);
    assert_eq!([&view.funds.fiscal, &view.funds.other, &view.funds.carryover], ["100.5", "20", "1,000"]);
    assert_eq!(view.funds.total, "1120.5", "the total is exact");
    let plan: Vec<&str> = view.plan.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(plan, ["10%", "50%", "75%", "100%"]);
    let i = view.levels.iter().flat_map(|l| &l.slots).flat_map(|s| &s.indicators).next().expect("the indicator");
    assert_eq!(
        [&i.level1, &i.level2, &i.name, &i.texts["description"], &i.value, &i.texts["basis"]],
        ["产出指标", "数量指标", "三级指标", "指标描述", "10 件以上", "依据"]
    );
    assert_eq!(
        ["value_type", "unit", "weight", "explanation", "scoring"].map(|key| &i.texts[key]),
        ["定量", "件", "10", "指标解释", "评分标准"]
    );
}
