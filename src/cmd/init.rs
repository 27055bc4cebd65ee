//! `jixiao init --form NAME DIR`: a new year folder from a form's example department
//! (`templates/<form>/example/`: department.yaml and example projects), with its budget
//! year set to the folder's name, ready for `check` and `build`. Nothing is overwritten.

use std::fs;
use std::path::{Path, PathBuf};

use crate::cli::InitArgs;
use crate::cmd::schema::set_year_modelines;
use crate::diag::Sources;
use crate::files::read_regular_text;
use crate::form::{EXAMPLE_DIR, Form};
use crate::model::{DepartmentSpec, ProjectSpec};
use crate::session::{Done, Stopped};
use crate::spec::load::parse_spec;
use crate::spec::modeline;
use crate::spec::roll_over::roll;
use crate::spec::source::is_spec_name;
use crate::spec::year::{DEPARTMENT_FILE, PROJECTS_DIR, is_year};
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
    // The first line pointing editors at the form's schemas, right for the new folder.
    for (path, written) in set_year_modelines(root, &target, Some(&args.form), &args.form) {
        written.map_err(|e| Stopped(format!("无法写入 {}：{}", path.display(), io_reason(&e))))?;
    }
    if !modeline::schema_file(root, &args.form, true).is_file() {
        done.out("提示：项目中还没有编辑器所用的 JSON Schema，可运行 jixiao schema 生成（见 README）");
    }
    done.out(format!(
        "完成：表样“{}”的示例年度。请把示例内容改为本单位的，然后运行 jixiao check {1} 和 jixiao build {1}",
        form.def.name,
        target.display()
    ));
    Ok(done)
}
