//! Finding and reading the spec files of one budget year.
//!
//! A year is a folder `specs/<year>/` holding `department.yaml` and `projects/*.yaml`.
//! Reading never stops at the first problem: every file is read and parsed, and each
//! problem becomes a diagnostic.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Sources, rules};
use crate::files::read_error;
use crate::form::fields::FormFields;
use crate::model::{DepartmentSpec, ProjectSpec};
use crate::spec::cache::ParseCache;
use crate::spec::kind::Spec;
use crate::spec::load;
use crate::spec::source::{Disk, Entry, Kind, SpecSource, is_spec_name};
use crate::text::io_reason;

/// A parsed spec file with its path and text.
#[derive(Debug)]
pub struct Loaded<T> {
    /// Where the file is.
    pub path: PathBuf,
    /// Its text (diagnostics point into it).
    pub text: String,
    /// The parsed spec.
    pub spec: T,
    /// Whether the spec holds all of the file: `false` when keys the form does not know
    /// were left out to check the rest (the file has errors and is not built).
    pub complete: bool,
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
    find_years_from(&Disk::new(specs)?, specs)
}

/// [`find_years`] in any source.
pub fn find_years_from(source: &dyn SpecSource, specs: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut years = Vec::new();
    let folders = |entries: Vec<Entry>| -> Vec<PathBuf> {
        entries
            .into_iter()
            .filter(|e| e.kind == Kind::Folder)
            .map(|e| e.path)
            .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| !n.starts_with('.')))
            .collect()
    };
    for path in folders(source.entries(specs)?) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if is_year(name) {
            years.push(path);
        } else {
            years.extend(
                folders(source.entries(&path).unwrap_or_default())
                    .into_iter()
                    .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(is_year)),
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

/// Gives the fields of the form a year is read against, by the name its department file
/// gives (`None`: none given, or the file cannot be read): the caller loads the form, and
/// may remember it. Texts diagnostics may point into go to the `Sources` it is given.
pub type FormOf<'a> = dyn FnMut(Option<&str>, &mut Sources) -> FormFields + 'a;

/// The `form:` a department file names, read from its YAML before anything is checked.
pub fn form_named(text: &str) -> Option<String> {
    let tree: crate::yaml::tree::Node = crate::yaml::parse(Path::new(DEPARTMENT_FILE), text).ok()?;
    let crate::yaml::tree::Value::Map(entries) = tree.value else { return None };
    entries.into_iter().find(|(key, _)| key.value == "form").and_then(|(_, node)| match node.value {
        crate::yaml::tree::Value::Scalar(name) => Some(name.trim().to_string()),
        _ => None,
    })
}

/// Reads and parses every spec file of a year folder of the working tree, remembering
/// texts in `sources`. Every file that cannot be listed or read is an error (E0109), so an
/// incomplete year is never mistaken for a smaller one.
pub fn read_year(dir: &Path, sources: &mut Sources, form: &mut FormOf) -> YearFiles {
    match Disk::new(dir) {
        Ok(disk) => read_year_from(&disk, dir, sources, None, form),
        Err(e) => YearFiles {
            dir: dir.to_path_buf(),
            diagnostics: vec![crate::yaml::io_error(dir, &e)],
            ..YearFiles::default()
        },
    }
}

/// Reads and parses every spec file of a year folder from any source (the working tree,
/// a git revision, memory): the same files, problems and positions. The department file
/// is read first; `form` then gives the fields the projects are read against. With a
/// `cache`, a file already parsed (e.g. in the other version of a comparison) is not
/// parsed again.
pub fn read_year_from(
    source: &dyn SpecSource,
    dir: &Path,
    sources: &mut Sources,
    cache: Option<&ParseCache>,
    form: &mut FormOf,
) -> YearFiles {
    let mut year = YearFiles { dir: dir.to_path_buf(), ..YearFiles::default() };
    let department_path = dir.join(DEPARTMENT_FILE);
    if !source.exists(&department_path) {
        year.diagnostics.push(
            Diagnostic::new(&rules::E0110, &department_path, None, "缺少部门文件 department.yaml")
                .with_hint("每个年度目录都需要一个 department.yaml，写明部门编码、名称和预算年度"),
        );
    }
    // The form the department names decides the fields of the department and its projects.
    let named = source.read(&department_path, crate::yaml::MAX_SPEC_BYTES).ok().and_then(|text| form_named(&text));
    let fields = form(named.as_deref(), sources);
    if source.exists(&department_path) {
        year.department = read_one(source, &department_path, sources, cache, &fields, &mut year.diagnostics);
    }
    let projects_dir = dir.join(PROJECTS_DIR);
    let mut entries = match source.entries(&projects_dir) {
        Ok(entries) => entries,
        Err(e) => {
            let what = if e.kind() == std::io::ErrorKind::NotFound {
                "找不到 projects/ 目录".to_string()
            } else {
                format!("无法读取 projects/ 目录：{}", io_reason(&e))
            };
            year.diagnostics.push(
                Diagnostic::new(
                    &rules::E0109,
                    &projects_dir,
                    None,
                    format!("{what}；本年度的合订本不会生成，原有 PDF 保持不变"),
                )
                .with_hint("项目规格应放在年度目录下的 projects/ 目录中，每个项目一个 .yaml 文件"),
            );
            return year;
        }
    };
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    for Entry { path, .. } in entries {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            let shown = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            year.diagnostics.push(
                Diagnostic::new(&rules::E0109, &path, None, format!("文件名“{shown}”不是有效的 UTF-8 编码"))
                    .with_hint("请把文件改名为项目编码，例如 131003001.yaml"),
            );
            year.broken_projects.push(path);
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        if !is_spec_name(name) {
            year.diagnostics.push(
                Diagnostic::new(&rules::W0901, &path, None, "projects/ 中有不是 .yaml 的文件，已忽略")
                    .with_hint("项目规格文件须以 .yaml 结尾；其他文件请移出 projects/ 目录"),
            );
            continue;
        }
        match read_one(source, &path, sources, cache, &fields, &mut year.diagnostics) {
            Some(project) => year.projects.push(project),
            None => year.broken_projects.push(path),
        }
    }
    year
}

fn read_one<T: Spec>(
    source: &dyn SpecSource,
    path: &Path,
    sources: &mut Sources,
    cache: Option<&ParseCache>,
    form: &FormFields,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Loaded<T>> {
    let text = match source.read(path, crate::yaml::MAX_SPEC_BYTES) {
        Ok(text) => text,
        Err(e) => {
            diagnostics.push(read_error(path, e, crate::yaml::MAX_SPEC_BYTES, "规格文件"));
            return None;
        }
    };
    sources.add(path, &text);
    let parsed = match cache {
        Some(cache) => cache.parse::<T>(path, &text, form),
        None => load::parse_spec_past_unknown_keys(path, &text, form),
    };
    match parsed {
        Ok((spec, mut found)) => {
            let complete = found.is_empty();
            diagnostics.append(&mut found);
            Some(Loaded { path: path.to_path_buf(), text, spec, complete })
        }
        Err(mut found) => {
            diagnostics.append(&mut found);
            None
        }
    }
}
