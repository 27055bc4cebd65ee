//! Form definitions: the labels, slots, checkpoints and policies of one official form.
//!
//! A form is a folder `templates/<name>/` holding `form.yaml` (this model), the minijinja
//! templates `*.typ.j2` that produce Typst source, and plain Typst files (`*.typ`) those
//! may import; the templates it does not have come from the shared folder it extends
//! (`folder.rs`). Every Chinese label that reaches a PDF comes from here or from the
//! templates, never from Rust code.

mod checks;
pub mod evaluation;
pub mod fields;
mod folder;
pub mod help;
pub mod identity;
pub mod import_template;

pub use evaluation::{EvaluationDef, FormKind};
pub use folder::Inherited;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Sources, rules};
use crate::files::{read_error, read_input};

/// The form used when `department.yaml` names none: the seed's (河北 2024) form.
pub const DEFAULT_FORM: &str = "hebei-2024";
/// The definition file inside a form folder.
pub const FORM_FILE: &str = "form.yaml";
/// The example department inside a form folder (`department.yaml`, `projects/`), what
/// `jixiao init` copies.
pub const EXAMPLE_DIR: &str = "example";

/// The contents of `form.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FormDef {
    /// Human name of the form.
    pub name: String,
    /// What it prints: target tables (the default), or the year-end self-evaluation or
    /// mid-year monitoring of targets kept in their own form (see [`evaluation`]).
    #[serde(default)]
    pub kind: FormKind,
    /// The money rows and columns and the scoring or monitoring rules of a
    /// self-evaluation or monitoring form.
    #[serde(default)]
    pub evaluation: Option<EvaluationDef>,
    /// The folder of shared templates under `templates/` this form inherits every
    /// template from that it does not have itself (see [`Inherited`]).
    #[serde(default)]
    pub extends: Option<String>,
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
    /// Where a project's budget amount (the summary's 预算金额, added into its total) comes
    /// from: `cost_rows` (the default: the amounts of the `cost_slots` rows), `funds` (the
    /// money block: 财政拨款 + 其他资金 + 上年结转) or the key of a `money` field of the form
    /// (e.g. `funds_total`).
    #[serde(default)]
    pub amount_from: Option<String>,
    /// Which identity fields the form has (see [`identity::Identity`]).
    #[serde(default)]
    pub identity: identity::Identity,
    /// 二级 labels whose values are counts (and so want a unit).
    #[serde(default)]
    pub quantity_slots: Vec<String>,
    /// Whether a slot without indicators prints as a blank row.
    pub print_empty_slots: bool,
    /// Whether its pages are landscape (a table too wide for A4 upright, such as the
    /// monitoring table's tick columns).
    #[serde(default)]
    pub landscape: bool,
    /// Font families by role (`title`, `body`, `label`, `kai`, or the form's own), in
    /// order of preference: the committed fonts, which `jixiao.toml` may put others
    /// before. Templates ask for roles (`fonts.body`), never for a family.
    pub fonts: BTreeMap<String, Vec<String>>,
    /// Defaults for the department texts (cover, headings).
    pub defaults: Defaults,
    /// Output file names; `{code}`, `{name}`, `{department}`, `{year}` are replaced.
    pub outputs: Outputs,
    /// The project fields the form has (see [`fields`]); every built-in one when absent.
    #[serde(default)]
    pub project_fields: Option<Vec<fields::FieldDecl>>,
    /// The indicator fields the form has; every built-in one when absent.
    #[serde(default)]
    pub indicator_fields: Option<Vec<fields::FieldDecl>>,
    /// The form's own department fields (unit-level rows, e.g. 单位代码).
    #[serde(default)]
    pub department_fields: Vec<fields::FieldDecl>,
    /// The form's indicator tables when it has several (e.g. 长期 and 年度): each
    /// indicator then names its table (`table:`). Empty: one table.
    #[serde(default)]
    pub indicator_tables: Vec<TableDef>,
    /// How rows are grouped: by the form's taxonomy (the default), or in source order.
    #[serde(default)]
    pub order: Order,
    /// Sums the form prints or checks: the parts added exactly; when the total is a
    /// field the clerk writes, it must equal the sum (E0321).
    #[serde(default)]
    pub sums: Vec<SumDef>,
    /// 一级 labels every project must have at least one indicator under (E0326), e.g.
    /// 满意度指标 where the form requires one.
    #[serde(default)]
    pub required_levels: Vec<String>,
    /// 填写说明 the editor shows at each field, by its path (`name`, `indicators.value`,
    /// `cover.title`): a sentence and an example.
    #[serde(default)]
    pub help: std::collections::BTreeMap<String, help::HelpDef>,
    /// The most pages a project's table may take (the editor flags a text that pushes it
    /// over as it is typed); none when absent.
    #[serde(default)]
    pub table_pages: Option<u32>,
    /// The province's budget-system import template (see [`import_template`]).
    #[serde(default)]
    pub import_template: Option<import_template::ImportTemplate>,
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
    #[serde(default)]
    pub slots: Vec<String>,
    /// Whether specs may name 二级 labels of their own under it (printed after the
    /// declared ones, in order of first use).
    #[serde(default)]
    pub free: bool,
}

/// One of a form's indicator tables.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TableDef {
    /// What an indicator's `table:` names, e.g. `annual`.
    pub key: String,
    /// The printed label, e.g. 年度绩效指标.
    pub label: String,
}

/// How a form groups its indicator rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// In the order of the form's 一级/二级 slots (a spec's list order within a slot).
    #[default]
    Taxonomy,
    /// As written in the spec, consecutive rows of the same 一级/二级 grouped.
    Source,
}

/// A sum the form declares.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SumDef {
    /// The key of the total: `project.sums.<key>` in templates; when it is also a money
    /// field of the form, the written total must equal the sum.
    pub key: String,
    /// The money fields added: `funds.fiscal`, `funds.other`, `funds.carryover`, or the
    /// form's own money fields.
    pub parts: Vec<String>,
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
    /// SHA-256 over every file of the folder (and of the shared templates it extends),
    /// `form.yaml` and images included, with their paths: whatever a form's change, every
    /// output typeset with it is rebuilt.
    pub digest: String,
    /// The templates taken from the shared folder it extends, and that folder.
    pub inherited: Inherited,
    /// The fields of its specs, resolved from the declarations.
    pub fields: fields::FormFields,
}

/// The minijinja template of one project table.
pub const PROJECT_TEMPLATE: &str = "project.typ.j2";
/// The minijinja template of the combined report.
pub const REPORT_TEMPLATE: &str = "report.typ.j2";
/// The minijinja template of one project's self-evaluation or monitoring table.
pub const EVALUATION_TEMPLATE: &str = "evaluation.typ.j2";
/// The minijinja template of a period's combined report.
pub const EVALUATION_REPORT_TEMPLATE: &str = "evaluation-report.typ.j2";
/// The minijinja template of the footer sheet a project's table is laid over.
pub const FOOTERS_TEMPLATE: &str = "footers.typ.j2";

/// `amount_from` for the 成本指标 rows (the default).
pub const AMOUNT_FROM_COST_ROWS: &str = "cost_rows";
/// `amount_from` for the money block.
pub const AMOUNT_FROM_FUNDS: &str = "funds";

/// Largest `form.yaml` accepted.
pub const MAX_FORM_BYTES: u64 = 256 * 1024;
/// Largest template or Typst file accepted.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;
/// Largest form folder accepted (every file counted; images included).
pub const MAX_FORM_FOLDER_BYTES: u64 = 64 * 1024 * 1024;
/// Most files a form folder may hold.
pub const MAX_FORM_FILES: usize = 1000;

impl Form {
    /// Loads `templates/<name>/`: `form.yaml` and every `.typ.j2` / `.typ` file, and a
    /// digest of every file in the folder (the build key of everything typeset with it).
    /// Texts diagnostics point into are added to `sources`.
    pub fn load(templates: &Path, name: &str, sources: &mut Sources) -> Result<Form, Diagnostic> {
        let base = templates.canonicalize().map_err(|e| crate::yaml::io_error(templates, &e))?;
        let valid_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let dir = base.join(name);
        let dir = match dir.canonicalize() {
            Ok(real) if valid_name && real.is_dir() => real,
            _ => {
                let known = Self::available(templates).join("、");
                return Err(Diagnostic::new(
                    &rules::E0201,
                    &templates.join(name),
                    None,
                    format!("找不到表样 `{name}`"),
                )
                .with_hint(format!("可用的表样：{known}")));
            }
        };
        let def_path = dir.join(FORM_FILE);
        let text = read_input(&def_path, &dir, MAX_FORM_BYTES)
            .map_err(|e| read_error(&def_path, e, MAX_FORM_BYTES, "form.yaml ").with_rule(&rules::E0202))?;
        sources.add(&def_path, &text);
        let def: FormDef = crate::yaml::parse(&def_path, &text).map_err(|d| d.with_rule(&rules::E0202))?;
        for (key, pattern) in [("project", &def.outputs.project), ("report", &def.outputs.report)] {
            if !pattern.to_ascii_lowercase().ends_with(".pdf") || pattern.starts_with('.') {
                return Err(Diagnostic::new(
                    &rules::E0202,
                    &def_path,
                    None,
                    format!("outputs.{key} 的文件名“{pattern}”应以 .pdf 结尾，且不能以“.”开头"),
                )
                .with_hint("例如 \"{code}-{name}.pdf\""));
            }
        }
        for (role, families) in &def.fonts {
            let named = role.starts_with(|c: char| c.is_ascii_lowercase())
                && role.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            if !named || families.is_empty() {
                return Err(Diagnostic::new(
                    &rules::E0202,
                    &def_path,
                    None,
                    format!("fonts.{role}：字体角色名应由小写英文字母和数字组成，且至少列出一种字体"),
                )
                .with_hint("例如 body: [Noto Serif CJK SC]"));
            }
        }
        checks::check_levels(&def, &def_path, &text)?;
        evaluation::check(&def).map_err(|message| Diagnostic::new(&rules::E0202, &def_path, None, message))?;
        let fields = fields::FormFields::resolve(def.project_fields.as_deref(), def.indicator_fields.as_deref())
            .and_then(|fields| checks::check_blocks(&def, &fields).map(|()| fields))
            .and_then(|fields| {
                Ok(fields::FormFields {
                    tables: def.indicator_tables.iter().map(|t| t.key.clone()).collect(),
                    department: fields::FormFields::resolve_department(&def.department_fields)?,
                    identity: def.identity,
                    ..fields
                })
            })
            .map_err(|message| Diagnostic::new(&rules::E0202, &def_path, None, message))?;
        let own = folder::read_folder(&dir)?;
        let (files, digest, inherited) = folder::merge(&base, &def_path, def.extends.as_deref(), own)?;
        let kind = def.kind;
        let (table, report) = (Form::table_template_of(kind), Form::report_template_of(kind));
        for required in [table, report, FOOTERS_TEMPLATE] {
            if !files.contains_key(required) {
                return Err(Diagnostic::new(
                    &rules::E0202,
                    &dir.join(required),
                    None,
                    format!("表样 `{name}` 缺少模板 {required}"),
                ));
            }
        }
        Ok(Form { name: name.to_string(), dir, def, files, digest, inherited, fields })
    }

    /// The template of one project's table: the target table, or a period's table.
    pub fn table_template(&self) -> &'static str {
        Form::table_template_of(self.def.kind)
    }

    /// The template of the combined report.
    pub fn report_template(&self) -> &'static str {
        Form::report_template_of(self.def.kind)
    }

    fn table_template_of(kind: FormKind) -> &'static str {
        if kind == FormKind::Targets { PROJECT_TEMPLATE } else { EVALUATION_TEMPLATE }
    }

    fn report_template_of(kind: FormKind) -> &'static str {
        if kind == FormKind::Targets { REPORT_TEMPLATE } else { EVALUATION_REPORT_TEMPLATE }
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

    /// Where template `name` is: the form's own folder, or the shared folder it
    /// inherits it from.
    pub fn template_path(&self, name: &str) -> PathBuf {
        self.inherited.path_of(name).unwrap_or_else(|| self.dir.join(name))
    }

    /// The 一级 level that has `level2` among its slots.
    pub fn level_of(&self, level2: &str) -> Option<&Level> {
        self.def.levels.iter().find(|l| l.slots.iter().any(|s| s == level2))
    }
}
