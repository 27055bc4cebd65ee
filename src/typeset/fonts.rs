//! The font store: the project's `fonts/` folder, and system fonts only when asked.
//!
//! Only each face's metadata (`FontInfo`, including its character coverage) is read up
//! front; a face's bytes load the first time the layout asks for it. Faces are ordered by
//! path and index so that font selection, and so the PDF, never depends on the order in
//! which a directory happens to be listed.

use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontSource, FontStore};

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
    /// How many faces (at the start of the store) come from the project's `fonts/`.
    project_faces: usize,
}

/// A face read through a memory map: a 24 MB CJK file is mapped and pre-faulted in a few
/// milliseconds, where copying it into memory takes several times longer.
struct MappedFont(FontPath);

impl FontSource for MappedFont {
    fn load(&self) -> Option<Font> {
        let file = std::fs::File::open(&self.0.path).ok()?;
        // SAFETY: the map is read-only and lives as long as the `Font` that owns it. As
        // with every memory-mapped font (fontdb, which typst-kit's scanner uses, maps
        // them too), truncating the file while it is mapped would fault; font folders
        // are not rewritten while a build runs.
        let data = match unsafe { memmap2::MmapOptions::new().populate().map(&file) } {
            Ok(map) => Bytes::new(map),
            Err(_) => Bytes::new(std::fs::read(&self.0.path).ok()?),
        };
        Font::new(data, self.0.index)
    }
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
        store.extend(entries.into_iter().map(|(path, info)| (MappedFont(path), info)));
        Fonts { store, faces, project_faces: 0 }.counting_project_faces(&options.project_dir)
    }

    fn counting_project_faces(mut self, project_dir: &Path) -> Fonts {
        self.project_faces = self.faces.iter().take_while(|(_, path)| path.starts_with(project_dir)).count();
        self
    }

    /// Loads the project's faces and computes the hash Typst needs of each, all at once
    /// on every core, so the first documents do not wait for them one after the other.
    /// Faces from `--font-path` or the system stay lazy: only those used are loaded.
    pub fn warm_up(&self) {
        use rayon::prelude::*;
        (0..self.project_faces).into_par_iter().for_each(|index| {
            if let Some(font) = self.store.font(index) {
                typst::utils::hash128(&font);
            }
        });
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

    /// The files holding faces of `family` (case-insensitive).
    pub fn files_of(&self, family: &str) -> Vec<&Path> {
        self.faces.iter().filter(|(f, _)| f.eq_ignore_ascii_case(family)).map(|(_, p)| p.as_path()).collect()
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
