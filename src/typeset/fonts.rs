//! The font store: the project's `fonts/` folder, and system fonts only when asked.
//!
//! Only each face's metadata (`FontInfo`, including its character coverage) is read up
//! front; a face's bytes load the first time the layout asks for it. Faces are ordered by
//! path and index so that font selection, and so the PDF, never depends on the order in
//! which a directory happens to be listed.

use std::path::{Path, PathBuf};

use typst::text::{FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontStore};

/// Where fonts come from.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// The committed font folder (`fonts/`).
    pub project_dir: PathBuf,
    /// Extra folders given with `--font-path`.
    pub extra_dirs: Vec<PathBuf>,
    /// Whether to add the operating system's fonts (`--system-fonts`).
    pub system: bool,
}

/// The fonts a build may use.
pub struct Fonts {
    store: FontStore,
    /// Family names and the file each face came from, in store order.
    faces: Vec<(String, PathBuf)>,
}

impl Fonts {
    /// Scans the folders named by `options`. Project fonts come first.
    pub fn load(options: &FontOptions) -> Fonts {
        let mut entries: Vec<(FontPath, FontInfo)> = Vec::new();
        let mut add = |mut found: Vec<(FontPath, FontInfo)>| {
            found.sort_by(|a, b| (&a.0.path, a.0.index).cmp(&(&b.0.path, b.0.index)));
            entries.extend(found);
        };
        add(typst_kit::fonts::scan(&options.project_dir).collect());
        for dir in &options.extra_dirs {
            add(typst_kit::fonts::scan(dir).collect());
        }
        if options.system {
            add(typst_kit::fonts::system().collect());
        }
        let faces = entries.iter().map(|(path, info)| (info.family.clone(), path.path.clone())).collect();
        let mut store = FontStore::new();
        store.extend(entries);
        Fonts { store, faces }
    }

    /// The font book (metadata of every face).
    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    /// The face at `index`, loaded on first use.
    pub fn font(&self, index: usize) -> Option<typst::text::Font> {
        self.store.font(index)
    }

    /// Whether a face of `family` (case-insensitive) is available.
    pub fn has_family(&self, family: &str) -> bool {
        self.faces.iter().any(|(f, _)| f.eq_ignore_ascii_case(family))
    }

    /// The files that faces were found in, sorted and without duplicates.
    pub fn files(&self) -> Vec<&Path> {
        let mut files: Vec<&Path> = self.faces.iter().map(|(_, p)| p.as_path()).collect();
        files.sort();
        files.dedup();
        files
    }

    /// Whether any face covers `c` (Typst falls back to any face for a missing glyph).
    pub fn covers_any(&self, c: char) -> bool {
        let book = self.store.book();
        (0..self.faces.len()).any(|index| book.info(index).is_some_and(|info| info.coverage.contains(c as u32)))
    }

    /// The distinct family names, in store order.
    pub fn family_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for (family, _) in &self.faces {
            if !names.contains(&family.as_str()) {
                names.push(family);
            }
        }
        names
    }
}
