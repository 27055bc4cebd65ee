//! Where a project keeps its parts: `specs/`, `templates/`, `out/`, and which output
//! folder each year folder writes to.

use std::path::{Path, PathBuf};

/// Where a project keeps its parts.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// `specs/`.
    pub specs: PathBuf,
    /// `templates/`.
    pub templates: PathBuf,
    /// `out/`.
    pub out: PathBuf,
}

impl Workspace {
    /// The standard layout under `root`.
    pub fn at(root: &Path) -> Workspace {
        // `specs/2024`, not `./specs/2024`, in every message when run in the project.
        let join = |name: &str| if root == Path::new(".") { PathBuf::from(name) } else { root.join(name) };
        Workspace { specs: join("specs"), templates: join("templates"), out: join("out") }
    }

    /// How a year folder is named in its output folder's manifest: its path below
    /// `specs/` (e.g. `2024`), or its real path when it lies elsewhere.
    pub fn source_name(&self, year_dir: &Path) -> String {
        let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        match real(year_dir).strip_prefix(real(&self.specs)) {
            Ok(relative) if !relative.as_os_str().is_empty() => relative.to_string_lossy().replace('\\', "/"),
            _ => real(year_dir).display().to_string(),
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
