use super::*;

const SPEC: &str = "\
# 头部注释
code: \"131003001\"
name: 政务服务中心工作  # 行尾注释
purpose: |
  第一行
  第二行

spending_plan:
  3: 10
  6: 50
goal:
indicators:
  - level1: 产出指标
    level2: 数量指标
    name: 办件数据
    value: 10000 以上
  # 第二个指标
  - level1: 效果指标
    level2: 社会效益指标
    name: 事项进驻率
    value: 85%以上
allow: [W0101]
";

fn doc(text: &str) -> Doc {
    let node: Node = parse(std::path::Path::new("t"), text).unwrap();
    Doc::from_tree(text, &node)
}

fn map(d: &mut Doc) -> &mut Vec<(String, Doc)> {
    match d {
        Doc::Map(entries) => entries,
        _ => panic!("not a map"),
    }
}

fn at<'d>(d: &'d mut Doc, key: &str) -> &'d mut Doc {
    map(d).iter_mut().find(|(k, _)| k == key).map(|(_, v)| v).unwrap()
}

fn items(d: &mut Doc) -> &mut Vec<Item> {
    match d {
        Doc::List(items) => items,
        _ => panic!("not a list"),
    }
}

fn text(s: &str) -> Doc {
    Doc::Text(s.to_string())
}

/// The lines of `new` that are not in `old`, and those of `old` not in `new`.
fn changed(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut added = Vec::new();
    let mut removed = Vec::new();
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => added.push(change.value().trim_end_matches('\n').to_string()),
            similar::ChangeTag::Delete => removed.push(change.value().trim_end_matches('\n').to_string()),
            similar::ChangeTag::Equal => {}
        }
    }
    (added, removed)
}

#[test]
fn an_unchanged_document_gives_the_same_text() {
    assert_eq!(apply(SPEC, &doc(SPEC)).unwrap(), SPEC);
}

#[test]
fn a_changed_value_keeps_its_style_and_its_line_comment() {
    let mut d = doc(SPEC);
    *at(&mut d, "name") = text("政务服务中心 工作");
    *at(&mut d, "code") = text("131003009");
    *at(at(&mut d, "spending_plan"), "6") = text("55");
    let new = apply(SPEC, &d).unwrap();
    let (added, removed) = changed(SPEC, &new);
    assert_eq!(added, ["code: \"131003009\"", "name: 政务服务中心 工作  # 行尾注释", "  6: 55"]);
    assert_eq!(removed.len(), 3);
}

#[test]
fn texts_that_plain_yaml_would_misread_are_quoted() {
    let mut d = doc(SPEC);
    *at(&mut d, "name") = text("比例: 100% # 全部");
    let new = apply(SPEC, &d).unwrap();
    assert!(new.contains("name: \"比例: 100% # 全部\"  # 行尾注释\n"), "{new}");
}

#[test]
fn a_block_stays_a_block_and_the_blank_line_after_it_stays() {
    let mut d = doc(SPEC);
    *at(&mut d, "purpose") = text("只有一行");
    let new = apply(SPEC, &d).unwrap();
    assert!(new.contains("purpose: |-\n  只有一行\n\nspending_plan:"), "{new}");
}

#[test]
fn several_lines_in_a_plain_field_become_a_block() {
    let mut d = doc(SPEC);
    *at(&mut d, "goal") = text("第一\n第二");
    let new = apply(SPEC, &d).unwrap();
    assert!(new.contains("goal: |-\n  第一\n  第二\nindicators:"), "{new}");
}

#[test]
fn nothing_becomes_a_value_and_a_value_nothing() {
    let mut d = doc(SPEC);
    *at(&mut d, "goal") = text("目标");
    let new = apply(SPEC, &d).unwrap();
    assert!(new.contains("\ngoal: 目标\nindicators:"), "{new}");
    let mut back = doc(&new);
    *at(&mut back, "goal") = Doc::Null;
    assert_eq!(apply(&new, &back).unwrap(), SPEC);
}

#[test]
fn keys_are_added_after_their_neighbour_and_removed_with_their_lines() {
    let mut d = doc(SPEC);
    let entries = map(&mut d);
    let goal = entries.iter().position(|(k, _)| k == "goal").unwrap();
    entries.insert(goal + 1, ("mid_term_goal".into(), text("中期")));
    entries.retain(|(k, _)| k != "purpose" && k != "allow");
    let new = apply(SPEC, &d).unwrap();
    let (added, removed) = changed(SPEC, &new);
    assert_eq!(added, ["mid_term_goal: 中期"]);
    assert_eq!(removed, ["purpose: |", "  第一行", "  第二行", "allow: [W0101]"]);
}

#[test]
fn moved_items_carry_their_comments_and_new_items_follow_the_style() {
    let mut d = doc(SPEC);
    let list = items(at(&mut d, "indicators"));
    list.swap(0, 1);
    list.push(Item {
        from: None,
        value: Doc::Map(vec![
            ("level1".into(), text("满意度指标")),
            ("level2".into(), text("服务对象满意度指标")),
            ("name".into(), text("满意度")),
            ("value".into(), text("98%")),
        ]),
    });
    *at(&mut list[1].value, "value") = text("20000 以上");
    let new = apply(SPEC, &d).unwrap();
    let expected = "\
indicators:
  # 第二个指标
  - level1: 效果指标
    level2: 社会效益指标
    name: 事项进驻率
    value: 85%以上
  - level1: 产出指标
    level2: 数量指标
    name: 办件数据
    value: 20000 以上
  - level1: 满意度指标
    level2: 服务对象满意度指标
    name: 满意度
    value: 98%
allow: [W0101]
";
    assert!(new.ends_with(expected), "{new}");
}

#[test]
fn an_item_loses_its_first_key_and_the_next_moves_onto_the_dash() {
    let mut d = doc(SPEC);
    let list = items(at(&mut d, "indicators"));
    map(&mut list[0].value).retain(|(k, _)| k != "level1");
    list.remove(1);
    let new = apply(SPEC, &d).unwrap();
    assert!(
        new.contains("indicators:\n  - level2: 数量指标\n    name: 办件数据\n    value: 10000 以上\nallow:"),
        "{new}"
    );
}

#[test]
fn emptied_and_flow_collections_are_written_whole() {
    let mut d = doc(SPEC);
    items(at(&mut d, "indicators")).clear();
    items(at(&mut d, "allow")).push(Item { from: None, value: text("W0102") });
    let new = apply(SPEC, &d).unwrap();
    assert!(new.ends_with("indicators: []\nallow:\n  - W0101\n  - W0102\n"), "{new}");
}

#[test]
fn every_committed_spec_reads_back_unchanged_and_takes_an_edit_in_place() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("specs/2024/department.yaml")];
    for entry in std::fs::read_dir(root.join("specs/2024/projects")).unwrap() {
        files.push(entry.unwrap().path());
    }
    for file in files {
        let old = std::fs::read_to_string(&file).unwrap();
        let mut d = doc(&old);
        assert_eq!(apply(&old, &d).unwrap(), old, "{}", file.display());
        let key = if file.ends_with("department.yaml") { "money_unit" } else { "name" };
        *at(&mut d, key) = text("改过的文字");
        let new = apply(&old, &d).unwrap();
        let (added, removed) = changed(&old, &new);
        assert_eq!((added.len(), removed.len()), (1, 1), "{}: {added:?}", file.display());
    }
}

#[test]
fn a_text_that_is_not_a_map_is_refused() {
    assert!(matches!(apply("- a\n", &doc("a: 1\n")), Err(EditError::Unreadable(_))));
}

#[test]
fn a_blank_spending_plan_is_filled_with_plain_numbers() {
    let text = "code: \"1\"\nspending_plan:\n  3:\n  6:\n";
    let mut d = doc(text);
    *at(at(&mut d, "spending_plan"), "3") = text_doc("10");
    map(at(&mut d, "spending_plan")).push(("12".into(), text_doc("100")));
    *at(&mut d, "code") = text_doc("2");
    assert_eq!(apply(text, &d).unwrap(), "code: \"2\"\nspending_plan:\n  3: 10\n  6:\n  12: 100\n");
}

fn text_doc(s: &str) -> Doc {
    Doc::Text(s.to_string())
}
