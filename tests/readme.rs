//! The README documents every rule exactly as the tool applies it.

use jixiao::validate::RULES;

#[test]
fn readme_lists_every_rule() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- rules:begin -->").expect("rules table start") + "<!-- rules:begin -->".len();
    let end = readme.find("<!-- rules:end -->").expect("rules table end");
    let mut expected = String::from("\n| 代码 | 名称（用于 allow） | 说明 |\n|---|---|---|\n");
    for rule in RULES {
        expected.push_str(&format!("| {} | {} | {} |\n", rule.code, rule.name, rule.summary));
    }
    assert_eq!(&readme[start..end], expected, "README's rule table is out of date; regenerate it from validate::RULES");
}

#[test]
fn readme_gives_the_two_commands() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("cargo run --release -- build"));
    assert!(readme.contains("cargo test --locked"));
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(ci.contains("cargo test --locked") && ci.contains("cargo fmt --check") && ci.contains("-D warnings"));
}
