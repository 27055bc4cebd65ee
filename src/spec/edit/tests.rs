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

pub(super) fn doc(text: &str) -> Doc {
    let node: Node = parse(std::path::Path::new("t"), text).unwrap();
    Doc::from_tree(text, &node)
}

fn map(d: &mut Doc) -> &mut Vec<(String, Doc)> {
    match d {
        Doc::Map(entries) => entries,
        _ => panic!("not a map"),
    }
}

pub(super) fn at<'d>(d: &'d mut Doc, key: &str) -> &'d mut Doc {
    map(d).iter_mut().find(|(k, _)| k == key).map(|(_, v)| v).unwrap()
}

fn items(d: &mut Doc) -> &mut Vec<Item> {
    match d {
        Doc::List(items) => items,
        _ => panic!("not a list"),
    }
}

pub(super) fn text(s: &str) -> Doc {
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
fn emptied_and_flow_collections_are_written_whole_a_flow_one_in_flow_style() {
    let mut d = doc(SPEC);
    items(at(&mut d, "indicators")).clear();
    items(at(&mut d, "allow")).push(Item { from: None, value: text("W0102") });
    let new = apply(SPEC, &d).unwrap();
    assert!(new.ends_with("indicators: []\nallow: [W0101, W0102]\n"), "{new}");
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

mod random_edits {
    use super::*;
    use proptest::prelude::*;

    /// Texts a clerk may type, including those YAML would misread if written plain.
    const TEXTS: &[&str] = &[
        "政务服务",
        "a: b",
        "#x",
        "yes",
        "",
        "多行\n文字",
        "'q'",
        "\"dq\"",
        " lead",
        "100",
        "1.50",
        "- x",
        "[1]",
        "{a}",
        "null",
        "~",
        "50%以上",
        "末尾\n",
        "tab\there",
        "&anchor",
        "*alias",
        "!tag",
        "|",
        ">",
        "％",
        "1e3",
    ];

    #[derive(Debug, Clone)]
    enum Op {
        Set(usize, &'static str, usize),
        SetTop(&'static str, usize),
        Remove(usize),
        Swap(usize, usize),
        Add(usize),
        Drop(&'static str),
    }

    fn op() -> impl Strategy<Value = Op> {
        let field = prop::sample::select(vec!["name", "description", "value", "basis", "level2"]);
        let top = prop::sample::select(vec!["name", "purpose", "goal", "code"]);
        let text = 0..TEXTS.len();
        prop_oneof![
            (0..8usize, field, text.clone()).prop_map(|(i, f, t)| Op::Set(i, f, t)),
            (top, text.clone()).prop_map(|(f, t)| Op::SetTop(f, t)),
            (0..8usize).prop_map(Op::Remove),
            (0..8usize, 0..8usize).prop_map(|(a, b)| Op::Swap(a, b)),
            text.prop_map(Op::Add),
            prop::sample::select(vec!["purpose", "goal", "indicators"]).prop_map(Op::Drop),
        ]
    }

    fn run(d: &mut Doc, op: &Op) {
        let Doc::Map(entries) = d else { return };
        let list = entries.iter_mut().find(|(k, _)| k == "indicators").map(|(_, v)| v);
        match (op, list) {
            (Op::Set(i, f, t), Some(Doc::List(items))) if *i < items.len() => {
                if let Doc::Map(fields) = &mut items[*i].value
                    && let Some((_, v)) = fields.iter_mut().find(|(k, _)| k == f)
                {
                    *v = Doc::Text(TEXTS[*t].into());
                }
            }
            (Op::Remove(i), Some(Doc::List(items))) if *i < items.len() => {
                items.remove(*i);
            }
            (Op::Swap(a, b), Some(Doc::List(items))) if *a < items.len() && *b < items.len() => items.swap(*a, *b),
            (Op::Add(t), Some(Doc::List(items))) => items.push(Item {
                from: None,
                value: Doc::Map(vec![
                    ("level1".into(), Doc::Text("产出指标".into())),
                    ("name".into(), Doc::Text(TEXTS[*t].into())),
                    ("value".into(), Doc::Text("1 个".into())),
                ]),
            }),
            (Op::SetTop(f, t), _) => {
                if let Some((_, v)) = entries.iter_mut().find(|(k, _)| k == f) {
                    *v = Doc::Text(TEXTS[*t].into());
                }
            }
            (Op::Drop(key), _) => entries.retain(|(k, _)| k != key),
            _ => {}
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Any sequence of edits to any committed project is written in place: the text
        /// reads back as the document (checked inside `apply`), and its first line, a
        /// comment, stays.
        #[test]
        fn every_edit_of_a_seed_project_is_written_in_place(file in 1..=8usize, ops in prop::collection::vec(op(), 1..6)) {
            let path = format!("{}/specs/2024/projects/13100300{file}.yaml", env!("CARGO_MANIFEST_DIR"));
            let old = std::fs::read_to_string(path).unwrap();
            let mut d = doc(&old);
            for op in &ops {
                run(&mut d, op);
            }
            let new = apply(&old, &d);
            prop_assert!(new.is_ok(), "{ops:?}: {new:?}");
            let new = new.unwrap();
            prop_assert_eq!(new.lines().next(), old.lines().next());
        }
    }
}

#[test]
fn the_department_takes_moved_tasks_and_goals_with_its_comments_kept() {
    let path = format!("{}/specs/2024/department.yaml", env!("CARGO_MANIFEST_DIR"));
    let old = std::fs::read_to_string(path).unwrap();
    let mut d = doc(&old);
    let narrative = at(&mut d, "narrative");
    let tasks = items(at(narrative, "tasks"));
    tasks.swap(0, 4);
    tasks.push(Item { from: None, value: text("新的重点工作，\n分两段写。") });
    items(at(narrative, "goals")).remove(1);
    *at(narrative, "intro") = text("新的说明：100%完成");
    let new = apply(&old, &d).unwrap();
    let comments: Vec<&str> = old.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(new.lines().filter(|l| l.starts_with('#')).collect::<Vec<_>>(), comments);
    assert!(new.contains("  intro: 新的说明：100%完成\n"), "{new}");
    assert!(new.ends_with("    - |-\n      新的重点工作，\n      分两段写。\n"), "{new}");
    assert!(!new.contains("title: 政府采购"));
}
