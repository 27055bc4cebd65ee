//! An import as a library call: office files read, projects found through the form's
//! layout, each written as a spec file (with its modeline) into a year's `projects/`,
//! never over an existing one unless asked; what went wrong is returned, not printed.

use std::path::{Path, PathBuf};

use super::printed::Layout;
use super::{read_tables, write};
use crate::form::Form;
use crate::incremental::write::write_atomic;
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
        for project in projects {
            let problems = &mut imported.problems;
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

/// Where project files go: `<dir>/projects` for a year folder (or any folder not named
/// `projects`), the folder itself when it is a `projects` folder.
pub fn projects_dir(dir: &Path) -> PathBuf {
    let is_projects = dir.file_name().is_some_and(|n| n == PROJECTS_DIR);
    if is_projects && !dir.join(DEPARTMENT_FILE).exists() { dir.to_path_buf() } else { dir.join(PROJECTS_DIR) }
}
