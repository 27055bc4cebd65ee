//! A form's folder read: the templates' texts and a digest of every file, and the shared
//! templates a form extends (`extends: shared` in `form.yaml`). A form folder holds only
//! what is its own; every template it does not have comes from the shared folder, as a
//! site generator's theme gives a site the templates it does not override. A shared
//! folder is not a form (it has no `form.yaml`) and holds minijinja templates only, so
//! Typst itself still reads nothing outside the form's own folder.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{FORM_FILE, MAX_FORM_FILES, MAX_FORM_FOLDER_BYTES, MAX_TEMPLATE_BYTES};
use crate::diag::{Diagnostic, rules};
use crate::files::{read_bytes, read_error, utf8};

/// The templates a form takes from the shared folder it extends.
#[derive(Debug, Clone, Default)]
pub struct Inherited {
    /// The shared folder (canonical), when the form extends one.
    pub dir: Option<PathBuf>,
    /// The names of the templates taken from it (those the form does not have).
    pub names: Vec<String>,
}

impl Inherited {
    /// Where an inherited template is; `None` for the form's own.
    pub fn path_of(&self, name: &str) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        self.names.iter().any(|n| n == name).then(|| dir.join(name))
    }
}

/// A folder read: its templates' texts by name, a digest of every file, and every
/// file's name (relative, `/`-separated).
pub(super) struct Folder {
    /// `*.typ.j2` and `*.typ` at the top, by name.
    pub(super) templates: BTreeMap<String, String>,
    /// SHA-256 over every file's path and bytes.
    pub(super) digest: String,
    /// Every file, sorted.
    pub(super) names: Vec<String>,
}

/// The form's templates with the shared ones it does not override, the digest of both
/// folders, and what was inherited. `templates` is the canonical `templates/` folder;
/// problems point at `form.yaml`.
pub(super) fn merge(
    templates: &Path,
    form_yaml: &Path,
    extends: Option<&str>,
    own: Folder,
) -> Result<(BTreeMap<String, String>, String, Inherited), Diagnostic> {
    let Folder { templates: mut files, digest: own_digest, .. } = own;
    let Some(name) = extends else { return Ok((files, own_digest, Inherited::default())) };
    let refuse = |message: String| Diagnostic::new(&rules::E0202, form_yaml, None, message);
    let valid_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let dir = templates.join(name);
    let dir = match dir.canonicalize() {
        Ok(real) if valid_name && real.is_dir() && real.starts_with(templates) => real,
        _ => return Err(refuse(format!("extends 写的共用模板目录 templates/{name} 不存在"))),
    };
    if dir.join(FORM_FILE).exists() {
        return Err(refuse(format!(
            "extends 只能写共用模板目录（没有 form.yaml 的目录），templates/{name} 是一个表样"
        )));
    }
    let shared = read_folder(&dir)?;
    if let Some(other) = shared.names.iter().find(|f| !f.ends_with(".typ.j2")) {
        return Err(Diagnostic::new(
            &rules::E0202,
            &dir.join(other),
            None,
            format!("共用模板目录 templates/{name} 只放 minijinja 模板（*.typ.j2），不能有 {other}"),
        )
        .with_hint("Typst 文件和图片请放在用到它们的表样目录中"));
    }
    let mut names = Vec::new();
    for (file, text) in shared.templates {
        if let std::collections::btree_map::Entry::Vacant(slot) = files.entry(file.clone()) {
            slot.insert(text);
            names.push(file);
        }
    }
    let mut hasher = Sha256::new();
    for part in [own_digest.as_bytes(), name.as_bytes(), shared.digest.as_bytes()] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let digest = format!("{:x}", hasher.finalize());
    Ok((files, digest, Inherited { dir: Some(dir), names }))
}

/// Reads a form folder: the templates' texts by name, a digest of every file (paths and
/// bytes, sorted) and every file's name. Sub-folders are included; anything that is not a regular file
/// inside the folder (a FIFO, a device, a link leading out) is refused, as are folders
/// too large to be a form.
pub(super) fn read_folder(dir: &Path) -> Result<Folder, Diagnostic> {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).map_err(|e| crate::yaml::io_error(&folder, &e))? {
            let path = entry.map_err(|e| crate::yaml::io_error(&folder, &e))?.path();
            let meta = fs::symlink_metadata(&path).map_err(|e| crate::yaml::io_error(&path, &e))?;
            if meta.is_dir() {
                pending.push(path);
            } else {
                paths.push(path);
            }
            if paths.len() > MAX_FORM_FILES {
                return Err(Diagnostic::new(
                    &rules::E0202,
                    dir,
                    None,
                    format!("表样目录中的文件超过 {MAX_FORM_FILES} 个"),
                ));
            }
        }
    }
    paths.sort();
    let mut files = BTreeMap::new();
    let mut hasher = Sha256::new();
    let mut total: u64 = 0;
    let mut names = Vec::new();
    for path in paths {
        let relative = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let name = relative.as_str();
        let template = !name.contains('/') && (name.ends_with(".typ.j2") || name.ends_with(".typ"));
        let limit = if template { MAX_TEMPLATE_BYTES } else { MAX_FORM_FOLDER_BYTES };
        let bytes = read_bytes(&path, dir, limit)
            .map_err(|e| read_error(&path, e, limit, "表样文件").with_rule(&rules::E0202))?;
        total += bytes.len() as u64;
        if total > MAX_FORM_FOLDER_BYTES {
            return Err(Diagnostic::new(
                &rules::E0202,
                dir,
                None,
                format!("表样目录超过 {MAX_FORM_FOLDER_BYTES} 字节"),
            ));
        }
        for part in [name.as_bytes(), &bytes] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        if template {
            let text = utf8(bytes).map_err(|e| read_error(&path, e, limit, "表样文件"))?;
            files.insert(name.to_string(), text);
        }
        names.push(relative);
    }
    let digest = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(Folder { templates: files, digest, names })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn a_form_inherits_what_it_does_not_override_and_its_digest_covers_both() {
        let templates = folder(&[
            ("shared/report.typ.j2", "shared report"),
            ("shared/table.typ.j2", "shared table"),
            ("f/table.typ.j2", "own table"),
        ]);
        let root = templates.path().canonicalize().unwrap();
        let merged = |root: &Path| {
            merge(root, &root.join("f/form.yaml"), Some("shared"), read_folder(&root.join("f")).unwrap()).unwrap()
        };
        let (files, digest, inherited) = merged(&root);
        assert_eq!(files["table.typ.j2"], "own table", "the form's own wins");
        assert_eq!(files["report.typ.j2"], "shared report");
        assert_eq!(inherited.names, ["report.typ.j2"]);
        assert_eq!(inherited.path_of("report.typ.j2"), Some(root.join("shared/report.typ.j2")));
        assert_eq!(inherited.path_of("table.typ.j2"), None);
        fs::write(root.join("shared/report.typ.j2"), "changed").unwrap();
        assert_ne!(merged(&root).1, digest, "a shared template is an input of the form");
        let own = read_folder(&root.join("f")).unwrap();
        let own_digest = own.digest.clone();
        let alone = merge(&root, &root.join("f/form.yaml"), None, own).unwrap();
        assert_eq!((alone.1, alone.2.names.len()), (own_digest, 0), "no extends, nothing inherited");
    }

    #[test]
    fn only_a_folder_of_shared_templates_can_be_extended() {
        let templates = folder(&[
            ("f/table.typ.j2", "own"),
            ("other/form.yaml", "name: x"),
            ("images/report.typ.j2", "x"),
            ("images/logo.png", "png"),
        ]);
        let root = templates.path().canonicalize().unwrap();
        let error = |extends: &str| {
            merge(&root, &root.join("f/form.yaml"), Some(extends), read_folder(&root.join("f")).unwrap())
                .unwrap_err()
                .message
        };
        assert!(error("missing").contains("不存在"));
        assert!(error("../f").contains("不存在"), "names only, never paths");
        assert!(error("other").contains("是一个表样"));
        assert!(error("images").contains("只放 minijinja 模板"));
    }
}
