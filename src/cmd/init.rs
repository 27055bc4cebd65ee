//! `jixiao init --form NAME DIR`: a new year folder from a form's example department
//! (`templates/<form>/example/`: department.yaml and example projects), with its budget
//! year set to the folder's name, ready for `check` and `build`. Nothing is overwritten.

use std::fs;
use std::path::{Path, PathBuf};

use crate::cli::InitArgs;
use crate::cmd::schema::{set_period_modelines, set_year_modelines};
use crate::diag::Sources;
use crate::files::read_regular_text;
use crate::form::{EXAMPLE_DIR, Form, FormKind};
use crate::model::actuals::{ACTUALS_DIR, PERIOD_FILE};
use crate::model::{DepartmentSpec, ProjectSpec};
use crate::pipeline::prepare_from;
use crate::session::{Done, Stopped};
use crate::spec::actuals_start::{actuals_text, default_name, period_text};
use crate::spec::load::parse_spec;
use crate::spec::modeline;
use crate::spec::roll_over::roll;
use crate::spec::source::Disk;
use crate::spec::source::is_spec_name;
use crate::spec::year::{DEPARTMENT_FILE, PROJECTS_DIR, form_named, is_year};
use crate::text::io_reason;
use crate::workspace::Workspace;
use crate::yaml::{MAX_SPEC_BYTES, span_of};

/// Runs `init`.
pub fn init(root: &Path, args: &InitArgs) -> Result<Done, Stopped> {
    let templates = Workspace::at(root).templates;
    let form = Form::load(&templates, &args.form, &mut Sources::default()).map_err(|d| {
        let hint = d.hint.map(|h| format!("（{h}）")).unwrap_or_default();
        Stopped(format!("{}{hint}", d.message))
    })?;
    if form.def.kind != FormKind::Targets && args.dir.join(DEPARTMENT_FILE).is_file() {
        return start_period(root, args, &form);
    }
    let example = form.dir.join(EXAMPLE_DIR);
    let department_path = example.join(DEPARTMENT_FILE);
    let department_text = read_regular_text(&department_path, MAX_SPEC_BYTES).map_err(|_| {
        Stopped(format!("表样 {} 没有示例（{}/{EXAMPLE_DIR}/{DEPARTMENT_FILE}）", args.form, form.dir.display()))
    })?;
    let department: DepartmentSpec = parse_spec(&department_path, &department_text, &form.fields)
        .map_err(|_| Stopped(format!("表样 {} 的示例 department.yaml 有错误", args.form)))?;
    // A folder named by a year is the year folder; any other gets the example's year inside.
    let named_year = args.dir.file_name().and_then(|n| n.to_str()).filter(|n| is_year(n)).map(str::to_string);
    let target: PathBuf = match &named_year {
        Some(_) => args.dir.clone(),
        None => args.dir.join(department.year.value.to_string()),
    };
    if target.exists() && fs::read_dir(&target).map(|mut e| e.next().is_some()).unwrap_or(true) {
        return Err(Stopped(format!("{} 已经存在且不是空目录；init 不会覆盖已有的文件", target.display())));
    }
    // The budget year, and the years in texts that denote it, become the folder's year
    // (as `new-year` does it: every comment and line of the example kept).
    let from = department.year.value;
    let to: u32 = named_year.as_deref().and_then(|y| y.parse().ok()).unwrap_or(from);
    let year_span = span_of(&department_text, &department.year);
    let department_text = roll(&department_text, &department.texts(), from, to, &[year_span]).text;
    let write = |path: &Path, text: &str| -> Result<(), Stopped> {
        fs::write(path, text).map_err(|e| Stopped(format!("无法写入 {}：{}", path.display(), io_reason(&e))))
    };
    fs::create_dir_all(target.join(PROJECTS_DIR))
        .map_err(|e| Stopped(format!("无法创建 {}：{}", target.display(), io_reason(&e))))?;
    let mut done = Done::new();
    write(&target.join(DEPARTMENT_FILE), &department_text)?;
    done.out(format!("已创建 {}", target.join(DEPARTMENT_FILE).display()));
    let mut projects: Vec<PathBuf> = fs::read_dir(example.join(PROJECTS_DIR))
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    projects.sort();
    for path in projects.iter().filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(is_spec_name)) {
        let text = read_regular_text(path, MAX_SPEC_BYTES)
            .map_err(|e| Stopped(format!("无法读取 {}：{}", path.display(), e.reason())))?;
        let text = match parse_spec::<ProjectSpec>(path, &text, &form.fields) {
            Ok(spec) => roll(&text, &spec.texts(), from, to, &[]).text,
            Err(_) => text,
        };
        let copy = target.join(PROJECTS_DIR).join(path.file_name().unwrap_or_default());
        write(&copy, &text)?;
        done.out(format!("已创建 {}", copy.display()));
    }
    // A period form's example has its actual figures too.
    if example.join(ACTUALS_DIR).is_dir() {
        copy_tree(&example.join(ACTUALS_DIR), &target.join(ACTUALS_DIR))?;
        done.out(format!("已创建 {}", target.join(ACTUALS_DIR).display()));
    }
    // The first line pointing editors at the form's schemas, right for the new folder.
    let target_form = form_named(&department_text).unwrap_or_else(|| args.form.clone());
    let modelines = set_year_modelines(root, &target, Some(&target_form), &target_form);
    for (path, written) in modelines.into_iter().chain(set_period_modelines(root, &target)) {
        written.map_err(|e| Stopped(format!("无法写入 {}：{}", path.display(), io_reason(&e))))?;
    }
    if !modeline::schema_file(root, &target_form, true).is_file() {
        done.out("提示：项目中还没有编辑器所用的 JSON Schema，可运行 jixiao schema 生成（见 README）");
    }
    done.out(format!(
        "完成：表样“{}”的示例年度。请把示例内容改为本单位的，然后运行 jixiao check {1} 和 jixiao build {1}",
        form.def.name,
        target.display()
    ));
    Ok(done)
}

/// Copies a folder of the example (only regular files and folders).
fn copy_tree(from: &Path, to: &Path) -> Result<(), Stopped> {
    fs::create_dir_all(to).map_err(|e| Stopped(format!("无法创建 {}：{}", to.display(), io_reason(&e))))?;
    let entries = fs::read_dir(from).map_err(|e| Stopped(format!("无法读取 {}：{}", from.display(), io_reason(&e))))?;
    for entry in entries.filter_map(Result::ok) {
        let (path, kind) = (entry.path(), entry.file_type());
        let target = to.join(entry.file_name());
        match kind {
            Ok(kind) if kind.is_dir() => copy_tree(&path, &target)?,
            Ok(kind) if kind.is_file() => {
                fs::copy(&path, &target)
                    .map_err(|e| Stopped(format!("无法写入 {}：{}", target.display(), io_reason(&e))))?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Starts a period of an existing year from its targets: `actuals/<period>/` with
/// `period.yaml` and one file per project, every indicator listed, values blank.
fn start_period(root: &Path, args: &InitArgs, form: &Form) -> Result<Done, Stopped> {
    let workspace = Workspace::at(root);
    let month = match form.def.kind {
        FormKind::Monitoring => Some(args.month.unwrap_or(7)),
        _ => None,
    };
    let name = args.period.clone().unwrap_or_else(|| default_name(form.def.kind, month));
    period_name_ok(&name)?;
    let dir = args.dir.join(ACTUALS_DIR).join(&name);
    if dir.exists() && fs::read_dir(&dir).map(|mut e| e.next().is_some()).unwrap_or(true) {
        return Err(Stopped(format!("{} 已经存在且不是空目录；init 不会覆盖已有的文件", dir.display())));
    }
    let year = year_with_targets(&workspace, &args.dir, "无法按目标新建实际数据")?;
    fs::create_dir_all(&dir).map_err(|e| Stopped(format!("无法创建 {}：{}", dir.display(), io_reason(&e))))?;
    let write = |path: &Path, text: &str| -> Result<(), Stopped> {
        fs::write(path, text).map_err(|e| Stopped(format!("无法写入 {}：{}", path.display(), io_reason(&e))))
    };
    let mut done = Done::new();
    write(&dir.join(PERIOD_FILE), &period_text(form, month))?;
    done.out(format!("已创建 {}", dir.join(PERIOD_FILE).display()));
    for project in &year.files.projects {
        let path = dir.join(project.path.file_name().unwrap_or_default());
        write(&path, &actuals_text(form, &project.spec))?;
        done.out(format!("已创建 {}", path.display()));
    }
    for (path, written) in set_period_modelines(root, &args.dir) {
        written.map_err(|e| Stopped(format!("无法写入 {}：{}", path.display(), io_reason(&e))))?;
    }
    if !year.files.broken_projects.is_empty() {
        done.out(format!(
            "注意：有 {} 个项目规格无法读取，没有为它们新建文件；改好后可再运行一次（用 --period 另起名称）或手工补上",
            year.files.broken_projects.len()
        ));
    }
    done.out(format!(
        "完成：按目标规格列出了每个项目的全部指标，请填写实际数据，然后运行 jixiao check {0} 和 jixiao build {0}",
        args.dir.display()
    ));
    Ok(done)
}

/// Refuses a period folder name that is not one plain folder name.
pub(crate) fn period_name_ok(name: &str) -> Result<(), Stopped> {
    if name.is_empty() || name.starts_with('.') || name.contains(['/', '\\']) {
        return Err(Stopped(format!("实际数据目录的名称“{name}”不可用")));
    }
    Ok(())
}

/// A year read and checked for a new period: it must have targets (`why` says what
/// cannot be done without them).
pub(crate) fn year_with_targets(
    workspace: &Workspace,
    dir: &Path,
    why: &str,
) -> Result<crate::pipeline::Prepared, Stopped> {
    let disk = Disk::new(dir).map_err(|e| Stopped(format!("无法读取 {}：{}", dir.display(), io_reason(&e))))?;
    let year = prepare_from(&disk, workspace, dir, None, None);
    if year.files.projects.is_empty() {
        return Err(Stopped(format!("{} 中没有可以读取的项目规格（projects/），{why}", dir.display())));
    }
    Ok(year)
}
