//! Finding and reading the spec files of one budget year.
//!
//! A year is a folder `specs/<year>/` holding `department.yaml` and `projects/*.yaml`.
//! Reading never stops at the first problem: every file is read and parsed, and each
//! problem becomes a diagnostic.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Sources};
use crate::spec::load;
use crate::spec::model::{DepartmentSpec, ProjectSpec};

/// A parsed spec file with its path and text.
#[derive(Debug)]
pub struct Loaded<T> {
    /// Where the file is.
    pub path: PathBuf,
    /// Its text (diagnostics point into it).
    pub text: String,
    /// The parsed spec.
    pub spec: T,
}

/// Everything read from one year's folder.
#[derive(Debug, Default)]
pub struct YearFiles {
    /// The folder, e.g. `specs/2024`.
    pub dir: PathBuf,
    /// The department file, when it parsed.
    pub department: Option<Loaded<DepartmentSpec>>,
    /// Project files that parsed, in file-name order.
    pub projects: Vec<Loaded<ProjectSpec>>,
    /// Project files that did not parse (their problems are in `diagnostics`).
    pub broken_projects: Vec<PathBuf>,
    /// Problems found while reading.
    pub diagnostics: Vec<Diagnostic>,
}

/// The name of the department file inside a year folder.
pub const DEPARTMENT_FILE: &str = "department.yaml";
/// The name of the projects folder inside a year folder.
pub const PROJECTS_DIR: &str = "projects";

/// The year folders under `specs/`, sorted: folders named by four digits, directly
/// below (`specs/2024`) or below a department folder (`specs/131003/2024`), as a finance
/// office keeping many departments would have them.
pub fn find_years(specs: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut years = Vec::new();
    for entry in fs::read_dir(specs)?.filter_map(Result::ok) {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if !path.is_dir() || name.starts_with('.') {
            continue;
        }
        if is_year(&name) {
            years.push(path);
        } else if let Ok(inner) = fs::read_dir(&path) {
            years.extend(
                inner
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_dir() && p.file_name().and_then(|n| n.to_str()).is_some_and(is_year)),
            );
        }
    }
    years.sort();
    Ok(years)
}

/// Whether a folder name is a budget year.
pub fn is_year(name: &str) -> bool {
    name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit())
}

/// Reads and parses every spec file of a year folder, remembering texts in `sources`.
pub fn read_year(dir: &Path, sources: &mut Sources) -> YearFiles {
    let mut year = YearFiles { dir: dir.to_path_buf(), ..YearFiles::default() };
    let department_path = dir.join(DEPARTMENT_FILE);
    if department_path.is_file() {
        year.department = read_one(&department_path, sources, &mut year.diagnostics);
    } else {
        year.diagnostics.push(
            Diagnostic::error("E0110", &department_path, None, "缺少部门文件 department.yaml")
                .with_hint("每个年度目录都需要一个 department.yaml，写明部门编码、名称和预算年度"),
        );
    }
    let projects_dir = dir.join(PROJECTS_DIR);
    let entries = match fs::read_dir(&projects_dir) {
        Ok(entries) => entries,
        Err(e) => {
            year.diagnostics.push(
                load::io_error(&projects_dir, &e)
                    .with_hint("项目规格应放在年度目录下的 projects/ 目录中，每个项目一个 .yaml 文件"),
            );
            return year;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        let is_yaml = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e == "yaml" || e == "yml");
        if !is_yaml || !path.is_file() {
            year.diagnostics.push(
                Diagnostic::warning("W0901", &path, None, "projects/ 中有不是 .yaml 的文件，已忽略")
                    .with_hint("项目规格文件须以 .yaml 结尾；其他文件请移出 projects/ 目录"),
            );
            continue;
        }
        match read_one(&path, sources, &mut year.diagnostics) {
            Some(project) => year.projects.push(project),
            None => year.broken_projects.push(path),
        }
    }
    year
}

fn read_one<T: serde::de::DeserializeOwned>(
    path: &Path,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Loaded<T>> {
    let text = match load::read_text(path) {
        Ok(text) => text,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    sources.add(path, &text);
    match load::parse(path, &text) {
        Ok(spec) => Some(Loaded { path: path.to_path_buf(), text, spec }),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    }
}
