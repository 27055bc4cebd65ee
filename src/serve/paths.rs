//! Which files the editor may touch: spec files of the year folders under `specs/`,
//! named by their path below it (`2024/projects/131003001.yaml`). A name is checked
//! component by component after decoding (no `..`, no hidden or empty parts, no
//! backslashes), must be a year's `department.yaml`, a `.yaml` file of its
//! `projects/` or of one of its period folders (`actuals/<period>/`), and must resolve (links followed) inside `specs/`; anything else is
//! refused before the file system is asked about it.

use std::path::{Path, PathBuf};

use crate::model::actuals::ACTUALS_DIR;
use crate::spec::source::is_spec_name;
use crate::spec::year::{DEPARTMENT_FILE, PROJECTS_DIR, find_years};

/// A spec file the editor may read and write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecPath {
    /// Its name below `specs/`, with `/` (`2024/projects/131003001.yaml`).
    pub rel: String,
    /// The year folder's name below `specs/` (`2024`, `131003/2024`).
    pub year: String,
    /// The file on disk (`specs/2024/projects/131003001.yaml`).
    pub path: PathBuf,
    /// The year folder on disk (`specs/2024`).
    pub year_dir: PathBuf,
    /// Whether it is the department file.
    pub department: bool,
    /// The period folder's name, for a file of `actuals/<period>/` (a project's actual
    /// figures, or `period.yaml`).
    pub period: Option<String>,
}

/// The year folders below `specs/`, by their names below it.
pub fn years(specs: &Path) -> Vec<String> {
    find_years(specs)
        .unwrap_or_default()
        .iter()
        .filter_map(|dir| dir.strip_prefix(specs).ok().map(|rel| rel.to_string_lossy().replace('\\', "/")))
        .collect()
}

/// The parts of a relative path with `/`, when every part is a plain name: not empty,
/// not hidden (`.`, `..`, `.x`), without `\\`, NUL or `:`; `None` otherwise.
pub fn parts(rel: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = rel.split('/').collect();
    let plain = |p: &&str| !p.is_empty() && !p.starts_with('.') && !p.contains(['\\', '\0', ':']);
    parts.iter().all(plain).then_some(parts)
}

/// Checks a year folder's name below `specs/`.
pub fn year(specs: &Path, name: &str) -> Result<String, String> {
    years(specs).into_iter().find(|y| y == name).ok_or_else(|| format!("没有“{name}”这个年度目录"))
}

/// Checks a spec file's name below `specs/`; `exists` says whether the file must be
/// there already (reading, saving) or must not (creating).
pub fn spec_path(specs: &Path, rel: &str, exists: bool) -> Result<SpecPath, String> {
    let refuse = || format!("“{rel}”不是 specs/ 中的规格文件");
    let Some(parts) = parts(rel) else { return Err(refuse()) };
    let (year, file, department, period) = match parts.as_slice() {
        [.., actuals, period, name] if *actuals == ACTUALS_DIR && is_spec_name(name) => {
            (parts[..parts.len() - 3].join("/"), *name, false, Some(period.to_string()))
        }
        [.., name] if *name == DEPARTMENT_FILE => (parts[..parts.len() - 1].join("/"), *name, true, None),
        [.., dir, name] if *dir == PROJECTS_DIR && is_spec_name(name) => {
            (parts[..parts.len() - 2].join("/"), *name, false, None)
        }
        _ => return Err(refuse()),
    };
    let year = self::year(specs, &year).map_err(|_| refuse())?;
    let year_dir = specs.join(&year);
    let path = match (&period, department) {
        (Some(period), _) => year_dir.join(ACTUALS_DIR).join(period).join(file),
        (None, true) => year_dir.join(file),
        (None, false) => year_dir.join(PROJECTS_DIR).join(file),
    };
    // Links are followed: what they lead to must still be inside `specs/`.
    let root = specs.canonicalize().map_err(|_| refuse())?;
    let parent = path.parent().unwrap_or(&year_dir);
    let inside = |p: &Path| p.canonicalize().is_ok_and(|real| real.starts_with(&root));
    if exists {
        if !inside(&path) || !path.is_file() {
            return Err(format!("找不到规格文件“{rel}”"));
        }
    } else if std::fs::symlink_metadata(&path).is_ok() {
        return Err(format!("“{rel}”已经存在"));
    } else if parent.exists() && !inside(parent) {
        return Err(refuse());
    }
    Ok(SpecPath { rel: rel.to_string(), year, path, year_dir, department, period })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_spec_files_of_year_folders_are_named() {
        let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
        let ok = spec_path(&specs, "2024/projects/131003001.yaml", true).unwrap();
        assert_eq!((ok.year.as_str(), ok.department), ("2024", false));
        assert!(spec_path(&specs, "2024/department.yaml", true).unwrap().department);
        for bad in [
            "../Cargo.toml",
            "2024/../../Cargo.toml",
            "2024/projects/../department.yaml",
            "/etc/passwd",
            "2024\\projects\\131003001.yaml",
            "2024/projects/.hidden.yaml",
            "2024/projects/131003001.txt",
            "2024//department.yaml",
            "1999/department.yaml",
            "2024/projects/sub/x.yaml",
            "",
        ] {
            assert!(spec_path(&specs, bad, true).is_err(), "{bad}");
        }
        assert!(spec_path(&specs, "2024/projects/131003001.yaml", false).is_err(), "exists already");
        assert!(spec_path(&specs, "2024/projects/131003099.yaml", true).is_err(), "missing");
        assert!(spec_path(&specs, "2024/projects/131003099.yaml", false).is_ok());
        let actuals = spec_path(&specs, "example/2024/actuals/year-end/131003001.yaml", true).unwrap();
        assert_eq!((actuals.year.as_str(), actuals.period.as_deref()), ("example/2024", Some("year-end")));
        assert!(spec_path(&specs, "example/2024/actuals/year-end/period.yaml", true).is_ok());
        for bad in ["example/2024/actuals/../projects/131003001.yaml", "example/2024/actuals/year-end/x.txt"] {
            assert!(spec_path(&specs, bad, true).is_err(), "{bad}");
        }
    }
}
