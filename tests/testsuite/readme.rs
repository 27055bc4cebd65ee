//! The README documents every rule exactly as the tool applies it.

use jixiao::validate::rules;

/// The rules table between the markers is generated from `validate::RULES`; run with
/// `UPDATE_README=1` to rewrite it.
#[test]
fn readme_lists_every_rule() {
    let mut expected = String::from("\n| 代码 | 名称（用于 allow） | 说明 |\n|---|---|---|\n");
    for rule in rules() {
        expected.push_str(&format!("| {} | {} | {} |\n", rule.code, rule.name, rule.summary));
    }
    generated_table("<!-- rules:begin -->", "<!-- rules:end -->", &expected);
}

/// The README's text between the markers is `expected` (with `UPDATE_README=1`, it is
/// made so).
fn generated_table(start_marker: &str, end_marker: &str, expected: &str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = readme.find(start_marker).expect("table start") + start_marker.len();
    let end = readme.find(end_marker).expect("table end");
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(path, format!("{}{expected}{}", &readme[..start], &readme[end..])).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        expected,
        "README's table after {start_marker} is out of date: run `UPDATE_README=1 cargo test --release readme`"
    );
}

#[test]
fn readme_gives_the_two_commands() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("cargo run --release -- build"));
    assert!(readme.contains("cargo test --release --locked"));
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.contains("cargo test --release --locked") && ci.contains("cargo fmt --check") && ci.contains("-D warnings")
    );
}

/// The YAML blocks after `### department.yaml` and `### projects/…` parse as specs.
#[test]
fn readme_spec_examples_parse() {
    use jixiao::model::{DepartmentSpec, ProjectSpec};
    use jixiao::yaml::parse;
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block_after = |heading: &str| {
        let start = readme.find(heading).unwrap_or_else(|| panic!("README has {heading}"));
        let rest = &readme[start..];
        let open = rest.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
        let close = rest[open..].find("```").expect("block end");
        rest[open..open + close].to_string()
    };
    let path = std::path::Path::new("README.md");
    let department: DepartmentSpec =
        parse(path, &block_after("### department.yaml")).expect("department example parses");
    assert_eq!(department.year.value, 2024);
    let project: ProjectSpec = parse(path, &block_after("### projects/")).expect("project example parses");
    assert_eq!(project.code.value, "131003001");
    assert_eq!(project.indicators.len(), 2);
}

/// The `jixiao.toml` table between the markers is generated from `config::KEYS`; run
/// with `UPDATE_README=1` to rewrite it. Every key there is one `Config::parse` reads.
#[test]
fn readme_lists_every_setting_with_its_default() {
    let mut expected = String::from("\n| 键 | 作用 | 默认 |\n|---|---|---|\n");
    for (key, meaning, default) in jixiao::config::KEYS {
        let default = if default.starts_with(['"', '[']) || default.chars().all(|c| c.is_ascii_alphanumeric()) {
            format!("`{default}`")
        } else {
            default.to_string()
        };
        expected.push_str(&format!("| `{key}` | {meaning} | {default} |\n"));
        let written = match *key {
            "fonts.<角色>" => "[fonts]\nbody = [\"仿宋\"]\n".to_string(),
            _ => format!("{key} = {}\n", default.trim_matches('`')),
        };
        assert!(jixiao::config::Config::parse(&written, &[]).is_ok(), "{written}");
    }
    generated_table("<!-- config-keys:start -->", "<!-- config-keys:end -->", &expected);
}
