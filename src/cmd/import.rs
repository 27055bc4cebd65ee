//! `jixiao import`: projects from office files (Excel .xlsx/.xls, Word .docx) into spec
//! files, one per project, never over an existing one unless asked. What could not be
//! read is reported with its file, sheet and cell; a file that cannot be read at all
//! writes nothing. `check` then runs on the result as on any spec.

use std::path::{Path, PathBuf};

use crate::cli::{FontArgs, ImportArgs};
use crate::diag::Sources;
use crate::form::{DEFAULT_FORM, Form};
use crate::import::printed::Layout;
use crate::import::{read_tables, write};
use crate::incremental::write::write_atomic;
use crate::office::read::{self, Problem};
use crate::pipeline::office::probe_grid;
use crate::session::{Done, Lifetime, Setup, Status, Stopped, setup};
use crate::spec::modeline;
use crate::spec::year::{DEPARTMENT_FILE, PROJECTS_DIR};
use crate::text::io_reason;

/// Runs `import`.
pub fn import(root: &Path, args: &ImportArgs) -> Result<Done, Stopped> {
    let mut done = Done::new();
    let Setup { settings, typesetter, prefs, .. } =
        setup(root, &[], &FontArgs::default(), None, Lifetime::OneShot, &mut done)?;
    let name = args.form.clone().or_else(|| settings.config.form.clone()).unwrap_or_else(|| DEFAULT_FORM.to_string());
    let form = Form::load(&settings.workspace.templates, &name, &mut Sources::default())
        .map_err(|d| Stopped(format!("{}（可用 jixiao forms 查看已安装的表样）", d.message)))?;
    let grid = probe_grid(&form, &prefs, &typesetter).map_err(Stopped)?;
    let layout = Layout::learn(&grid, &form);
    if std::env::var_os("JIXIAO_DEBUG_PROBE").is_some() {
        for c in &grid.cells {
            eprintln!("{:?} r{} c{} {}x{} {:?}", grid.rows[c.row], c.row, c.col, c.rows, c.cols, c.text);
        }
        eprintln!("{layout:#?}");
    }
    let into = projects_dir(&args.into);
    let mut problems: Vec<Problem> = Vec::new();
    let mut written = 0;
    for file in &args.files {
        let tables = match read::read(file) {
            Ok(tables) => tables,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let (projects, mut said) = read_tables(&tables, &layout, &form);
        problems.append(&mut said);
        for project in projects {
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
            let path = into.join(format!("{}.yaml", project.code));
            if path.exists() && !args.force {
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
            let schema = modeline::schema_file(root, &form.name, false);
            let text = modeline::set(&write::text(&project, &form), &modeline::relative(&path, &schema));
            let saved = std::fs::create_dir_all(&into).and_then(|()| write_atomic(&path, text.as_bytes()));
            match saved {
                Ok(()) => {
                    written += 1;
                    done.out(format!("已导入 {}（{}）", path.display(), project.place));
                }
                Err(e) => {
                    problems.push(Problem::error(path.display().to_string(), format!("无法写入：{}", io_reason(&e))))
                }
            }
        }
    }
    let errors = problems.iter().filter(|p| p.is_error).count();
    for problem in &problems {
        done.err(format!("{problem}\n"));
    }
    done.out(format!(
        "导入完成：写入 {written} 个项目，{errors} 个错误，{} 个警告。请运行 jixiao check {} 检查导入的规格",
        problems.len() - errors,
        args.into.display()
    ));
    if errors > 0 {
        done.status = Status::Failed;
    }
    Ok(done)
}

/// Where project files go: `<dir>/projects` for a year folder (or any folder not named
/// `projects`), the folder itself when it is a `projects` folder.
fn projects_dir(dir: &Path) -> PathBuf {
    let is_projects = dir.file_name().is_some_and(|n| n == PROJECTS_DIR);
    if is_projects && !dir.join(DEPARTMENT_FILE).exists() { dir.to_path_buf() } else { dir.join(PROJECTS_DIR) }
}
