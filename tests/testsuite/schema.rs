//! The JSON Schemas editors read: the committed ones are what `jixiao schema` generates,
//! every committed spec names its schema on its first line and passes it (validated with
//! a JSON Schema validator, as yaml-language-server would), and a broken spec fails both
//! the schema and `jixiao check`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{jixiao, repo, text_of};

/// The spec files of `dir` (a year folder): `department.yaml`, `projects/*.yaml` and
/// every file of its period folders (`actuals/*/*.yaml`).
fn spec_files(dir: &Path) -> Vec<PathBuf> {
    let sorted = |dir: &Path| -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> =
            fs::read_dir(dir).map(|e| e.map(|e| e.unwrap().path()).collect()).unwrap_or_default();
        found.sort();
        found
    };
    let mut files = vec![dir.join("department.yaml")];
    files.extend(sorted(&dir.join("projects")));
    for period in sorted(&dir.join("actuals")) {
        files.extend(sorted(&period));
    }
    files
}

/// Every committed spec: the seed, the worked example and the forms' examples.
fn committed_specs() -> Vec<PathBuf> {
    let mut files = spec_files(&repo().join("specs/2024"));
    files.extend(spec_files(&repo().join("specs/example/2024")));
    for form in fs::read_dir(repo().join("templates")).unwrap().map(|e| e.unwrap().path()) {
        if form.join("example").is_dir() {
            files.extend(spec_files(&form.join("example")));
        }
    }
    files
}

/// The problems of `text` (a spec at `path`) against the schema its first line names.
fn validate(path: &Path, text: &str) -> Result<(), String> {
    let schema = jixiao::spec::modeline::schema_of(text).ok_or_else(|| format!("{}: no modeline", path.display()))?;
    let schema_path = path.parent().unwrap().join(schema).canonicalize().map_err(|e| format!("{schema}: {e}"))?;
    let schema_json: serde_json::Value = serde_json::from_str(&fs::read_to_string(&schema_path).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let url = "file:///schema.json";
    compiler.add_resource(url, schema_json).unwrap();
    let index = compiler.compile(url, &mut schemas).map_err(|e| format!("schema does not compile: {e}"))?;
    let instance: serde_json::Value = serde_saphyr::from_str(text).map_err(|e| format!("YAML: {e}"))?;
    schemas.validate(&instance, index).map_err(|e| format!("{e:#}"))
}

#[test]
fn the_committed_schemas_are_what_jixiao_schema_generates() {
    let files = jixiao::cmd::schema::generate(&repo(), &repo().join("schema")).map_err(|e| e.0).unwrap();
    let forms = fs::read_dir(repo().join("templates"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("form.yaml").is_file())
        .count();
    assert_eq!(files.len(), 2 * forms, "two schemas per form");
    for (path, text) in files {
        let committed = fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == text, "{} is out of date: run `jixiao schema`", path.display());
    }
    let output = jixiao(&["schema", "--check"]);
    assert!(output.status.success(), "{}", text_of(&output));
}

#[test]
fn every_committed_spec_names_its_schema_and_passes_it() {
    for path in committed_specs() {
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema="),
            "{} does not start with the modeline",
            path.display()
        );
        if let Err(e) = validate(&path, &text) {
            panic!("{}: {e}", path.display());
        }
    }
}

#[test]
fn a_broken_spec_fails_the_schema_and_check() {
    let path = repo().join("specs/2024/projects/131003002.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let cases = [
        ("level2: 数量指标", "level2: 数量指表", "level2"),
        ("purpose:", "purpse:", "purpse"),
        ("  12: 100\n", "  11: 100\n", "12"),
        ("level1: 产出指标", "level1: 产出指数", "level1"),
    ];
    for (from, to, what) in cases {
        assert!(text.contains(from), "{from}");
        let broken = text.replacen(from, to, 1);
        let error = validate(&path, &broken).expect_err(to);
        assert!(error.contains(what), "{to}: {error}");
        // `check` finds it too.
        let dir = tempfile::tempdir().unwrap();
        let year = dir.path().join("2024");
        fs::create_dir_all(year.join("projects")).unwrap();
        fs::copy(repo().join("specs/2024/department.yaml"), year.join("department.yaml")).unwrap();
        fs::write(year.join("projects/131003002.yaml"), &broken).unwrap();
        let output = jixiao(&["check", "-q", year.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{to}: {}", text_of(&output));
    }
    // A 二级 of another 一级 is an error for the schema as for check.
    let broken = text.replacen("level2: 数量指标", "level2: 社会效益指标", 1);
    assert!(validate(&path, &broken).is_err());
}

#[test]
fn the_schema_describes_fields_in_chinese_and_lists_the_forms_names() {
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(repo().join("schema/hebei-2024/project.json")).unwrap()).unwrap();
    let properties = &schema["properties"];
    assert_eq!(properties["purpose"]["description"], "项目资金主要用途（长文字，必填）");
    assert_eq!(properties["code"]["description"], "编码（必填）");
    let indicator = &properties["indicators"]["items"];
    assert_eq!(indicator["properties"]["level1"]["enum"][0], "产出指标");
    assert!(indicator["properties"]["level2"]["enum"].as_array().unwrap().iter().any(|v| v == "数量指标"));
    let county: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(repo().join("schema/county-2016/project.json")).unwrap()).unwrap();
    // The county form's own fields complete too, with the form's labels.
    assert!(county["properties"]["schedule"]["description"].as_str().unwrap().contains("进度"), "{county:#}");
    assert_eq!(county["properties"]["indicators"]["items"]["properties"]["table"]["enum"][0], "long_term");
}

#[test]
fn init_and_new_year_write_the_modeline_for_the_new_folder() {
    let dir = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    for shared in ["templates", "fonts", "schema"] {
        std::os::unix::fs::symlink(repo().join(shared), dir.path().join(shared)).unwrap();
    }
    let run = |args: &[&str]| crate::common::jixiao_in(dir.path(), args);
    // A deeper folder than the example's: the relative path changes with it.
    let output = run(&["init", "--form", "county-2016", "specs/608/2025"]);
    assert!(output.status.success(), "{}", text_of(&output));
    let new_year = run(&["new-year", "2026"]);
    assert!(new_year.status.success(), "{}", text_of(&new_year));
    for year in ["2025", "2026"] {
        for path in spec_files(&dir.path().join("specs/608").join(year)) {
            let text = fs::read_to_string(&path).unwrap();
            let project = path.parent().unwrap().ends_with("projects");
            let expected = if project {
                "../../../../schema/county-2016/project.json"
            } else {
                "../../../schema/county-2016/department.json"
            };
            assert_eq!(jixiao::spec::modeline::schema_of(&text), Some(expected), "{}", path.display());
            validate(&path, &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}
