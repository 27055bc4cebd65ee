//! An import as a library call: office files read, projects found through the form's
//! layout, each written as a spec file (with its modeline) into a year's `projects/`,
//! never over an existing one unless asked; what went wrong is returned, not printed.

use std::path::{Path, PathBuf};

use super::printed::Layout;
use super::{Project, read_tables, write};
use crate::form::Form;
use crate::grid::flat::Column;
use crate::incremental::write::write_atomic;
use crate::model::catalog::{self, FieldType};
use crate::office::read::{self, Problem};
use crate::spec::modeline;
use crate::spec::year::{DEPARTMENT_FILE, PROJECTS_DIR};
use crate::text::io_reason;

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    /// Spec files written, each with where its project was read.
    pub written: Vec<(PathBuf, String)>,
    /// Problems, in the order found.
    pub problems: Vec<Problem>,
}

/// Imports the projects of `files` into the year folder `into`; `schema` is the form's
/// project schema (for the modeline); `force` overwrites existing specs.
pub fn import_files(
    files: &[PathBuf],
    form: &Form,
    layout: &Layout,
    into: &Path,
    schema: &Path,
    force: bool,
) -> Imported {
    let dir = projects_dir(into);
    let mut imported = Imported::default();
    let unit = department_unit(into, form);
    for file in files {
        let tables = match read::read(file) {
            Ok(tables) => tables,
            Err(problem) => {
                imported.problems.push(problem);
                continue;
            }
        };
        let (projects, mut said) = read_tables(&tables, layout, form);
        imported.problems.append(&mut said);
        for mut project in projects {
            let problems = &mut imported.problems;
            if let (Some(from), Some(to)) = (project.unit.clone(), unit.as_deref()) {
                convert_money(&mut project, form, &from, to, problems);
            }
            if project.code.is_empty() || !project.code.chars().all(|c| c.is_ascii_digit()) {
                problems.push(
                    Problem::error(&project.place, format!("项目编码“{}”不是数字，没有导入", project.code))
                        .with_hint("项目编码只能由数字组成，如 131003001"),
                );
                continue;
            }
            if project.errors > 0 {
                problems.push(
                    Problem::error(&project.place, format!("项目 {} 有错误（见上），没有导入", project.code))
                        .with_hint("改正文件中标出的单元格后重新导入"),
                );
                continue;
            }
            let path = dir.join(format!("{}.yaml", project.code));
            if path.exists() && !force {
                problems.push(
                    Problem::warning(&project.place, format!("{} 已经存在，没有覆盖", path.display()))
                        .with_hint("要用文件中的内容覆盖，请加 --force"),
                );
                continue;
            }
            if project.indicators.is_empty() {
                problems.push(
                    Problem::warning(&project.place, format!("项目 {} 没有读到任何绩效指标", project.code))
                        .with_hint("请确认指标表的表头（一级指标、二级指标、三级指标……）与表样一致"),
                );
            }
            let text = modeline::set(&write::text(&project, form), &modeline::relative(&path, schema));
            match std::fs::create_dir_all(&dir).and_then(|()| write_atomic(&path, text.as_bytes())) {
                Ok(()) => imported.written.push((path, project.place.clone())),
                Err(e) => {
                    problems.push(Problem::error(path.display().to_string(), format!("无法写入：{}", io_reason(&e))))
                }
            }
        }
    }
    imported
}

/// The money unit of the year the projects go into (its department file's).
fn department_unit(into: &Path, form: &Form) -> Option<String> {
    let path = into.join(DEPARTMENT_FILE);
    let text = crate::files::read_regular_text(&path, crate::yaml::MAX_SPEC_BYTES).ok()?;
    let department: crate::model::DepartmentSpec = crate::spec::load::parse_spec(&path, &text, &form.fields).ok()?;
    department.money_unit.map(|u| u.value).filter(|u| !u.is_empty())
}

/// Amounts read in `from` (`元`) written in the year's unit `to` (`万元`), exactly; other
/// units are named, not converted.
fn convert_money(project: &mut Project, form: &Form, from: &str, to: &str, problems: &mut Vec<Problem>) {
    use rust_decimal::Decimal;
    use std::str::FromStr;
    if from == to {
        return;
    }
    let factor = match unit_factor(from, to) {
        Some(factor) => factor,
        None => {
            problems.push(
                Problem::warning(&project.place, format!("表中金额的单位是“{from}”，本年度是“{to}”，金额没有换算"))
                    .with_hint("请核对各项金额，按本年度的单位改写"),
            );
            return;
        }
    };
    let is_money = |column: &Column| match column {
        Column::Project(key) => form.fields.project_field(key).is_some_and(|f| f.kind == FieldType::Money),
        Column::Part(block, part) => {
            catalog::project(block).is_some_and(|a| a.parts.iter().any(|p| p.key == part && p.kind == FieldType::Money))
        }
        _ => false,
    };
    let mut changed = Vec::new();
    for (column, text) in project.fields.iter_mut().filter(|(c, _)| is_money(c)) {
        if let Ok(amount) = Decimal::from_str(text.trim()) {
            let new = (amount * factor).normalize().to_string();
            if new == *text {
                continue;
            }
            let label = match &*column {
                Column::Project(key) => form.fields.project_field(key).map_or(key.clone(), |f| f.label.clone()),
                Column::Part(_, part) => catalog::describe(part).to_string(),
                _ => String::new(),
            };
            changed.push(format!("{label} {text} → {new}"));
            *text = new;
        }
    }
    if !changed.is_empty() {
        problems.push(Problem::warning(
            &project.place,
            format!("表中金额的单位是“{from}”，已换算为本年度的“{to}”：{}", changed.join("，")),
        ));
    }
}

/// What an amount in `from` is multiplied by to be in `to` (元 ↔ 万元), exactly.
pub(crate) fn unit_factor(from: &str, to: &str) -> Option<rust_decimal::Decimal> {
    use rust_decimal::Decimal;
    match (from, to) {
        ("元", "万元") => Some(Decimal::new(1, 4)),
        ("万元", "元") => Some(Decimal::new(10_000, 0)),
        _ => None,
    }
}

/// Where project files go: `<dir>/projects` for a year folder (or any folder not named
/// `projects`), the folder itself when it is a `projects` folder.
pub fn projects_dir(dir: &Path) -> PathBuf {
    let is_projects = dir.file_name().is_some_and(|n| n == PROJECTS_DIR);
    if is_projects && !dir.join(DEPARTMENT_FILE).exists() { dir.to_path_buf() } else { dir.join(PROJECTS_DIR) }
}
