//! The README's reference of what a template can use is the view's data, path by path:
//! every path the templates receive has a line in it, and every line names a path they
//! receive (`UPDATE_README=1 cargo test --release template_data` rewrites it).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::*;

/// Leaf paths of a JSON value: lists as `[]`; the free maps (labels, the form's own
/// fields, old values) as `<键>`.
fn paths(value: &Value, at: &str, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
                if ["labels", "extra", "old", "sums", "rows"].contains(&key.as_str()) && inner.is_object() {
                    found.insert(format!("{path}.<键>"));
                } else if path == "report.projects" {
                    // Each is a table, as `project`.
                    found.insert("report.projects[]".into());
                } else if key == "form" && at.is_empty() {
                    // form.yaml as it is (README: 表样); its labels are listed.
                    found.insert("form.labels.<键>".into());
                    found.insert("form".into());
                } else {
                    paths(inner, &path, found);
                }
            }
        }
        Value::Array(items) => match items.first() {
            Some(first) => paths(first, &format!("{at}[]"), found),
            None => {
                found.insert(format!("{at}[]"));
            }
        },
        _ => {
            found.insert(at.to_string());
        }
    }
}

/// A full context: the seed's department with a project and the report, a change list.
fn every_path() -> BTreeSet<String> {
    use jixiao::view::{Kind, Line, Mark, Span};
    let typesetter = typesetter();
    let workspace = jixiao::workspace::Workspace::at(&repo());
    let prepared = jixiao::pipeline::prepare(&workspace, &repo().join("specs/2024"), &typesetter);
    let form = prepared.form.as_ref().unwrap();
    let department = &prepared.files.department.as_ref().unwrap().spec;
    let fonts = jixiao::view::FontFamilies {
        roles: [("body", "宋"), ("label", "黑"), ("title", "标")].map(|(r, f)| (r.into(), vec![f.into()])).into(),
        bold: [("body", false), ("label", false), ("title", false)].map(|(r, b)| (r.into(), b)).into(),
    };
    let spec = &prepared.files.projects[0].spec;
    let pairs: Vec<_> =
        prepared.files.projects.iter().zip(&prepared.checked.projects).map(|(p, f)| (&p.spec, f)).collect();
    let mut report = jixiao::view::report(form, department, &pairs, prepared.checked.total, &vec![1; pairs.len()]);
    report.changes = Some(jixiao::view::ChangesView {
        old: "HEAD".into(),
        new: "工作区".into(),
        summary: "共 1 处".into(),
        lines: vec![Line { kind: Kind::Item, depth: 0, spans: vec![Span { mark: Mark::Text, text: "x".into() }] }],
    });
    let context = jixiao::view::Context {
        project: Some(jixiao::view::project(form, 2024, spec)),
        report: Some(report),
        pages: Some(1),
        ..jixiao::view::context(form, &fonts, department)
    };
    let mut found = BTreeSet::new();
    paths(&serde_json::to_value(&context).unwrap(), "", &mut found);
    found
}

/// The README's table: `| `path` | 说明 |` rows between the markers.
fn readme_table(readme: &str) -> &str {
    let start =
        readme.find("<!-- template-data:start -->").expect("start marker") + "<!-- template-data:start -->".len();
    let end = readme.find("<!-- template-data:end -->").expect("end marker");
    &readme[start..end]
}

#[test]
fn the_readme_names_every_path_a_template_receives() {
    let readme_path = repo().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let table = readme_table(&readme);
    let documented: BTreeSet<String> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`').map(|(path, _)| path.to_string()))
        .collect();
    let actual = every_path();
    if std::env::var_os("UPDATE_README").is_some() {
        // Keep the descriptions already written; new paths get a placeholder to fill in.
        let described: Vec<(String, String)> = table
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split_once("` | ").map(|(p, d)| (p.to_string(), d.trim_end_matches(" |").to_string())))
            .collect();
        let mut rows = String::from("\n| 路径 | 说明 |\n|---|---|\n");
        for path in &actual {
            let description = described
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, d)| d.clone())
                .unwrap_or_else(|| "（待补充说明）".into());
            rows.push_str(&format!("| `{path}` | {description} |\n"));
        }
        // Only what stands between the markers is replaced.
        let start = readme.find("<!-- template-data:start -->").unwrap() + "<!-- template-data:start -->".len();
        let end = readme.find("<!-- template-data:end -->").unwrap();
        let updated = format!("{}{rows}{}", &readme[..start], &readme[end..]);
        std::fs::write(&readme_path, updated).unwrap();
        return;
    }
    let missing: Vec<&String> = actual.difference(&documented).collect();
    let stale: Vec<&String> = documented.difference(&actual).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "README's template data is out of date (run `UPDATE_README=1 cargo test --release template_data`): \
         not documented {missing:?}, no longer there {stale:?}"
    );
    assert!(!table.contains("待补充说明"), "every path of the README's template data is described");
}
