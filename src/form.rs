//! Form definitions: the labels, slots, checkpoints and policies of one official form.
//!
//! A form is a folder `templates/<name>/` holding `form.yaml` (this model), the minijinja
//! templates `*.typ.j2` that produce Typst source, and plain Typst files (`*.typ`) those
//! may import. Every Chinese label that reaches a PDF comes from here or from the
//! templates, never from Rust code.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::spec::load;

/// The form used when `department.yaml` names none: the seed's (河北 2024) form.
pub const DEFAULT_FORM: &str = "hebei-2024";
/// The definition file inside a form folder.
pub const FORM_FILE: &str = "form.yaml";

/// The contents of `form.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FormDef {
    /// Human name of the form.
    pub name: String,
    /// Title of a project table; `{year}` is replaced.
    pub title: String,
    /// Fixed labels the templates print (项目编码, 绩效目标, …), by key.
    pub labels: BTreeMap<String, String>,
    /// Column headers of the indicator table, left to right.
    pub columns: Vec<String>,
    /// Spending-plan checkpoints, in order.
    pub checkpoints: Vec<Checkpoint>,
    /// 一级 indicators with their 二级 slots, in print order.
    pub levels: Vec<Level>,
    /// 二级 labels whose values are the project's budget (summed in the summary).
    #[serde(default)]
    pub cost_slots: Vec<String>,
    /// 二级 labels whose values are counts (and so want a unit).
    #[serde(default)]
    pub quantity_slots: Vec<String>,
    /// Whether a slot without indicators prints as a blank row.
    pub print_empty_slots: bool,
    /// Font families, in order of preference.
    pub fonts: Fonts,
    /// Defaults for the department texts (cover, headings).
    pub defaults: Defaults,
    /// Output file names; `{code}`, `{name}`, `{department}`, `{year}` are replaced.
    pub outputs: Outputs,
}

/// One spending-plan checkpoint.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Month number used as the key in specs (`3` for 3 月底).
    pub month: u32,
    /// Printed label.
    pub label: String,
}

/// One 一级 indicator and its 二级 slots.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Printed 一级 label, e.g. 产出指标.
    pub label: String,
    /// Printed 二级 labels, in order.
    pub slots: Vec<String>,
}

/// Font families for the two roles of text.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    /// Body text (宋/仿宋 style).
    pub body: Vec<String>,
    /// Labels, headings and titles (黑体 style).
    pub label: Vec<String>,
}

/// Defaults for department texts.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Cover title; `{department}` and `{year}` are replaced.
    pub cover_title: String,
    /// Cover "编制" line; `{department}` is replaced.
    pub compiled_by: String,
    /// Section headings.
    pub headings: DefaultHeadings,
}

/// Default section headings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultHeadings {
    /// Narrative heading.
    pub goals: String,
    /// Key-task heading.
    pub tasks: String,
    /// Project summary heading.
    pub summary: String,
    /// Project tables heading.
    pub projects: String,
}

/// Output file name patterns.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Outputs {
    /// One project's PDF.
    pub project: String,
    /// The combined report.
    pub report: String,
}

/// A loaded form: its definition and the text of its templates.
#[derive(Debug, Clone)]
pub struct Form {
    /// The folder name.
    pub name: String,
    /// The folder (canonical), the only place templates and Typst imports come from.
    pub dir: PathBuf,
    /// The definition.
    pub def: FormDef,
    /// minijinja templates (`*.typ.j2`) and Typst files (`*.typ`), by file name, sorted.
    pub files: BTreeMap<String, String>,
}

/// The minijinja template of one project table.
pub const PROJECT_TEMPLATE: &str = "project.typ.j2";
/// The minijinja template of the combined report.
pub const REPORT_TEMPLATE: &str = "report.typ.j2";
/// The minijinja template of the footer sheet a project's table is laid over.
pub const FOOTERS_TEMPLATE: &str = "footers.typ.j2";

impl Form {
    /// Loads `templates/<name>/`: `form.yaml` and every `.typ.j2` / `.typ` file.
    pub fn load(templates: &Path, name: &str) -> Result<Form, Diagnostic> {
        let base = templates.canonicalize().map_err(|e| load::io_error(templates, &e))?;
        let dir = base.join(name);
        let valid_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_name || !dir.is_dir() {
            let known = Self::available(templates).join("、");
            return Err(Diagnostic::error("E0201", &templates.join(name), None, format!("找不到表样 `{name}`"))
                .with_hint(format!("可用的表样：{known}")));
        }
        let def_path = dir.join(FORM_FILE);
        let text = load::read_text(&def_path)?;
        let def: FormDef = load::parse(&def_path, &text)?;
        let mut files = BTreeMap::new();
        let entries = fs::read_dir(&dir).map_err(|e| load::io_error(&dir, &e))?;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let Some(file) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
            if (file.ends_with(".typ.j2") || file.ends_with(".typ")) && path.is_file() {
                files.insert(file, load::read_text(&path)?);
            }
        }
        for required in [PROJECT_TEMPLATE, REPORT_TEMPLATE, FOOTERS_TEMPLATE] {
            if !files.contains_key(required) {
                return Err(Diagnostic::error(
                    "E0202",
                    &dir.join(required),
                    None,
                    format!("表样 `{name}` 缺少模板 {required}"),
                ));
            }
        }
        Ok(Form { name: name.to_string(), dir, def, files })
    }

    /// The form folders under `templates/`, sorted.
    pub fn available(templates: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(templates)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().join(FORM_FILE).is_file())
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// The 一级 level that has `level2` among its slots.
    pub fn level_of(&self, level2: &str) -> Option<&Level> {
        self.def.levels.iter().find(|l| l.slots.iter().any(|s| s == level2))
    }
}
