//! Where a project keeps its parts: `specs/`, `templates/`, `out/`, and which output
//! folder each year folder writes to.

use std::path::{Path, PathBuf};

use crate::spec::year::{DEPARTMENT_FILE, find_years, is_year};
use crate::text::io_reason;

/// Where a project keeps its parts.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// `specs/`.
    pub specs: PathBuf,
    /// `templates/`.
    pub templates: PathBuf,
    /// `out/`.
    pub out: PathBuf,
    /// The form of a year whose `department.yaml` names none (`form` in `jixiao.toml`).
    pub default_form: String,
}

/// A folder of the project root: `specs`, not `./specs`, in every message when run in
/// the project itself.
pub fn under(root: &Path, name: &str) -> PathBuf {
    if root == Path::new(".") { PathBuf::from(name) } else { root.join(name) }
}

impl Workspace {
    /// The standard layout under `root`.
    pub fn at(root: &Path) -> Workspace {
        // `specs/2024`, not `./specs/2024`, in every message when run in the project.
        Workspace {
            specs: under(root, "specs"),
            templates: under(root, "templates"),
            out: under(root, "out"),
            default_form: crate::form::DEFAULT_FORM.to_string(),
        }
    }

    /// How a year folder is named in its output folder's manifest: its path below
    /// `specs/` (e.g. `2024`), or its real path when it lies elsewhere.
    pub fn source_name(&self, year_dir: &Path) -> String {
        let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let year = real(year_dir);
        match year.strip_prefix(real(&self.specs)) {
            Ok(relative) if !relative.as_os_str().is_empty() => relative.to_string_lossy().replace('\\', "/"),
            _ => year.display().to_string(),
        }
    }

    /// The output folder of a year folder, relative to `out/`: its path below `specs/`
    /// (`specs/2024` → `2024`, `specs/131003/2024` → `131003/2024`); a year folder
    /// elsewhere goes to its own name.
    pub fn default_out_rel(&self, year_dir: &Path) -> PathBuf {
        // Compare real paths: `specs/2024` and `./specs` name the same folders.
        let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        match real(year_dir).strip_prefix(real(&self.specs)) {
            Ok(relative) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
            _ => PathBuf::from(year_dir.file_name().unwrap_or(year_dir.as_os_str())),
        }
    }
}

/// A year folder to work on and where its PDFs go, relative to `out/`.
pub type YearDir = (PathBuf, PathBuf);

/// The year folders a command works on: those named (a year folder, or a folder to
/// search for them), or every year under `specs/`. Output folders mirror the folders
/// below the one searched; two years that would share an output folder are refused.
///
/// A command that `writes` refuses a year folder outside `specs/` unless the output
/// folder was given (`out_given`): its PDFs would otherwise land in a folder named after
/// it, possibly another project's.
pub fn resolve_years(
    workspace: &Workspace,
    paths: &[PathBuf],
    writes: bool,
    out_given: bool,
) -> Result<Vec<YearDir>, String> {
    let mut years: Vec<YearDir> = Vec::new();
    if paths.is_empty() {
        if !workspace.specs.is_dir() {
            return Err(format!(
                "找不到规格目录 {}。请在 jixiao 项目目录中运行，或用 --root 指定项目目录。",
                workspace.specs.display()
            ));
        }
        years = below(&workspace.specs)?;
    }
    for path in paths {
        if !path.is_dir() {
            return Err(format!("找不到目录 {}", path.display()));
        }
        if writes && !within(path, &workspace.specs) && !out_given {
            return Err(format!(
                "{} 不在项目的 specs/ 目录中，生成的 PDF 不知道该放到哪里。请用 --out 指定输出目录，或用 -C 指定它所在的项目目录。",
                path.display()
            ));
        }
        if path.join(DEPARTMENT_FILE).is_file() || path.file_name().and_then(|n| n.to_str()).is_some_and(is_year) {
            years.push((path.clone(), workspace.default_out_rel(path)));
        } else {
            years.extend(below(path)?);
        }
    }
    let mut outputs: std::collections::HashMap<&Path, &Path> = std::collections::HashMap::new();
    for (dir, out) in &years {
        if let Some(other) = outputs.insert(out, dir) {
            return Err(format!(
                "{} 和 {} 会输出到同一个目录 {}。请把各部门放在 specs/<部门编码>/<年度>/ 下，或分别运行并用 --out 指定输出目录。",
                other.display(),
                dir.display(),
                workspace.out.join(out).display()
            ));
        }
    }
    Ok(years)
}

/// Whether `path` lies inside `folder` (by real paths).
pub fn within(path: &Path, folder: &Path) -> bool {
    match (path.canonicalize(), folder.canonicalize()) {
        (Ok(path), Ok(folder)) => path.starts_with(folder),
        _ => false,
    }
}

/// A path made real where it exists: the real path of its longest existing ancestor with
/// the rest joined on (a folder not yet made, a removed file).
pub fn real_path(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => real_path(parent).join(name),
        _ => std::env::current_dir().unwrap_or_default().join(path),
    }
}

/// Why an output may not be written at `path` (a folder or a file), or `None`: outputs
/// never go into the project's inputs (`specs/`, `templates/`, `fonts/`), nor into a
/// folder that holds them (the project root, `..`, `/`), where a build would write
/// beside the specs and every later build would see its own outputs as changed inputs.
pub fn output_conflict(root: &Path, path: &Path) -> Option<String> {
    let target = real_path(path);
    for (folder, name) in
        [("specs", "规格目录 specs/"), ("templates", "表样目录 templates/"), ("fonts", "字体目录 fonts/")]
    {
        let folder = real_path(&root.join(folder));
        if target.starts_with(&folder) {
            return Some(format!("{} 在{name}中", path.display()));
        }
        if folder.starts_with(&target) {
            return Some(format!("{} 包含了{name}", path.display()));
        }
    }
    None
}

/// The year folders below `base`, each with its path relative to `base` as output folder.
fn below(base: &Path) -> Result<Vec<YearDir>, String> {
    let years = find_years(base).map_err(|e| format!("无法读取 {}：{}", base.display(), io_reason(&e)))?;
    if years.is_empty() {
        return Err(format!("{} 中没有年度目录（如 2024/）", base.display()));
    }
    Ok(years
        .into_iter()
        .map(|dir| {
            let out = dir.strip_prefix(base).map(Path::to_path_buf).unwrap_or_else(|_| dir.clone());
            (dir, out)
        })
        .collect())
}
