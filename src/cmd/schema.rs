//! `jixiao schema [DIR]`: writes the JSON Schemas of every installed form's spec files
//! (`DIR/<form>/department.json`, `DIR/<form>/project.json`; `schema/` by default), for
//! editors to complete and check specs as they are typed (see [`crate::validate::json_schema`]).
//! With `--check`, writes nothing and fails when a committed schema is out of date.

use std::path::{Path, PathBuf};

use crate::cli::SchemaArgs;
use crate::diag::Sources;
use crate::files::ReadError;
use crate::form::EXAMPLE_DIR;
use crate::form::{Form, FormKind};
use crate::incremental::write::write_atomic;
use crate::model::actuals::{PERIOD_FILE, PeriodSpec};
use crate::session::{Done, Status, Stopped};
use crate::spec::actuals::find_periods;
use crate::spec::modeline::{self, SCHEMA_DIR};
use crate::spec::modeline::{ACTUALS_SCHEMA, DEPARTMENT_SCHEMA, PERIOD_SCHEMA, PROJECT_SCHEMA};
use crate::spec::source::{Disk, SpecSource, is_spec_name};
use crate::spec::year::{DEPARTMENT_FILE, PROJECTS_DIR, find_years, form_named};
use crate::text::io_reason;
use crate::validate::{actuals_schema, json_schema};
use crate::workspace::{Workspace, under};
use crate::yaml::MAX_SPEC_BYTES;

/// Every schema file of every installed form, with its text.
pub fn generate(root: &Path, dir: &Path) -> Result<Vec<(PathBuf, String)>, Stopped> {
    let templates = Workspace::at(root).templates;
    let names = Form::available(&templates);
    if names.is_empty() {
        return Err(Stopped(format!("{} 中没有表样", templates.display())));
    }
    let mut files = Vec::new();
    for name in names {
        let mut sources = Sources::default();
        let form = Form::load(&templates, &name, &mut sources).map_err(|d| {
            Stopped(format!("表样 {name} 无法读取：{}", sources.render(&[d], crate::diag::Format::Short)))
        })?;
        if form.def.kind == FormKind::Targets {
            files
                .push((dir.join(&name).join(DEPARTMENT_SCHEMA), json_schema::to_text(&json_schema::department(&form))));
            files.push((dir.join(&name).join(PROJECT_SCHEMA), json_schema::to_text(&json_schema::project(&form))));
        } else {
            files.push((dir.join(&name).join(PERIOD_SCHEMA), json_schema::to_text(&actuals_schema::period(&form))));
            files.push((dir.join(&name).join(ACTUALS_SCHEMA), json_schema::to_text(&actuals_schema::actuals(&form))));
        }
    }
    Ok(files)
}

/// Runs `schema`.
pub fn schema(root: &Path, args: &SchemaArgs) -> Result<Done, Stopped> {
    let dir = args.dir.clone().unwrap_or_else(|| under(root, SCHEMA_DIR));
    let mut done = Done::new();
    for (path, text) in generate(root, &dir)? {
        let current = crate::files::read_regular_text(&path, 16 * MAX_SPEC_BYTES).ok();
        if current.as_deref() == Some(text.as_str()) {
            continue;
        }
        if args.check {
            done.out(format!("需要更新：{}（请运行 jixiao schema）", path.display()));
            done.status = Status::Failed;
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Stopped(format!("无法创建目录 {}：{}", parent.display(), io_reason(&e))))?;
        }
        write_atomic(&path, text.as_bytes())
            .map_err(|e| Stopped(format!("无法写入 {}：{}", path.display(), io_reason(&e))))?;
        done.out(format!("已写入 {}", path.display()));
    }
    if args.modelines && !args.check {
        for (path, changed) in write_modelines(root)? {
            match changed {
                Ok(true) => done.out(format!("已更新第一行：{}", path.display())),
                Ok(false) => {}
                Err(e) => {
                    done.err(format!("未更新第一行：{}：{}", path.display(), io_reason(&e)));
                    done.status = Status::Failed;
                }
            }
        }
    }
    if done.output.is_empty() {
        done.out(format!("{} 中的 JSON Schema 都是最新的", dir.display()));
    }
    Ok(done)
}

/// Every spec file of the project (under `specs/` and in the forms' examples) with its
/// modeline set; each path comes with whether its file changed, or why it could not be
/// read or written (the other files are still done).
fn write_modelines(root: &Path) -> Result<Vec<(PathBuf, std::io::Result<bool>)>, Stopped> {
    let workspace = Workspace::at(root);
    let mut years: Vec<(PathBuf, Option<String>)> = Vec::new();
    if workspace.specs.is_dir() {
        let found = find_years(&workspace.specs)
            .map_err(|e| Stopped(format!("无法读取 {}：{}", workspace.specs.display(), io_reason(&e))))?;
        years.extend(found.into_iter().map(|dir| (dir, None)));
    }
    for name in Form::available(&workspace.templates) {
        let example = workspace.templates.join(&name).join(EXAMPLE_DIR);
        if example.join(DEPARTMENT_FILE).is_file() {
            // A period form's example names the form of its targets.
            let text = crate::files::read_regular_text(&example.join(DEPARTMENT_FILE), MAX_SPEC_BYTES).ok();
            let named = text.as_deref().and_then(form_named);
            years.push((example, if named.is_some() { None } else { Some(name) }));
        }
    }
    let mut out = Vec::new();
    for (dir, form) in years {
        out.extend(set_year_modelines(root, &dir, form.as_deref(), &workspace.default_form));
        out.extend(set_period_modelines(root, &dir));
    }
    Ok(out)
}

/// Sets the modeline of a year folder's `department.yaml` and project files to the
/// schemas of its form (`form`, else the one its department names, else `default_form`).
/// Each file comes with whether it changed, or why it could not be written.
pub fn set_year_modelines(
    root: &Path,
    dir: &Path,
    form: Option<&str>,
    default_form: &str,
) -> Vec<(PathBuf, std::io::Result<bool>)> {
    let department = dir.join(DEPARTMENT_FILE);
    // Read as the build reads them: regular files inside the year folder only.
    let disk = Disk::new(dir);
    let read = |path: &Path| -> std::io::Result<String> {
        let disk = disk.as_ref().map_err(|e| std::io::Error::new(e.kind(), io_reason(e)))?;
        disk.read(path, MAX_SPEC_BYTES).map_err(ReadError::into_io)
    };
    let named = read(&department).ok().and_then(|text| form_named(&text));
    let form = form.map(str::to_string).or(named).unwrap_or_else(|| default_form.to_string());
    let mut files = vec![(department, true)];
    if let Ok(entries) = std::fs::read_dir(dir.join(PROJECTS_DIR)) {
        let mut projects: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml")))
            .collect();
        projects.sort();
        files.extend(projects.into_iter().map(|p| (p, false)));
    }
    files
        .into_iter()
        .map(|(path, is_department)| {
            let changed = (|| {
                // A linked file is left as it is: writing would replace the link by a copy.
                if std::fs::symlink_metadata(&path)?.file_type().is_symlink() {
                    return Err(crate::text::explained("这是一个符号链接，没有改写（请直接编辑它指向的文件）"));
                }
                let text = read(&path)?;
                let schema = modeline::relative(&path, &modeline::schema_file(root, &form, is_department));
                let new = modeline::set(&text, &schema);
                if new == text {
                    return Ok(false);
                }
                write_atomic(&path, new.as_bytes()).map(|()| true)
            })();
            (path, changed)
        })
        .collect()
}

/// Sets the modeline of every file of a year's period folders to the schemas of the
/// form its `period.yaml` names (a period whose form cannot be read is left alone).
pub fn set_period_modelines(root: &Path, year: &Path) -> Vec<(PathBuf, std::io::Result<bool>)> {
    let Ok(disk) = Disk::new(year) else { return Vec::new() };
    let mut out = Vec::new();
    for dir in find_periods(&disk, year) {
        let period = dir.join(PERIOD_FILE);
        let Ok(text) = disk.read(&period, MAX_SPEC_BYTES) else { continue };
        let Ok(spec) = crate::yaml::parse::<PeriodSpec>(&period, &text) else { continue };
        let form = spec.form.value;
        let mut files: Vec<(PathBuf, &str)> = vec![(period, PERIOD_SCHEMA)];
        let mut actuals: Vec<PathBuf> = disk
            .entries(&dir)
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.path)
            .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| is_spec_name(n) && n != PERIOD_FILE))
            .collect();
        actuals.sort();
        files.extend(actuals.into_iter().map(|p| (p, ACTUALS_SCHEMA)));
        for (path, schema) in files {
            let changed = (|| {
                let text = disk.read(&path, MAX_SPEC_BYTES).map_err(ReadError::into_io)?;
                let target = root.join(SCHEMA_DIR).join(&form).join(schema);
                let new = modeline::set(&text, &modeline::relative(&path, &target));
                if new == text {
                    return Ok(false);
                }
                write_atomic(&path, new.as_bytes()).map(|()| true)
            })();
            out.push((path, changed));
        }
    }
    out
}
