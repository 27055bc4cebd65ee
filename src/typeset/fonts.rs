//! The font store: the project's `fonts/` folder, and system fonts only when asked.
//!
//! Only each face's metadata (`FontInfo`, including its character coverage) is read up
//! front; a face's bytes load the first time the layout asks for it. Faces are ordered by
//! path and index so that font selection, and so the PDF, never depends on the order in
//! which a directory happens to be listed. Font folders are searched by [`scan`], within
//! bounds, opening only regular font files.

use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontSource, FontStore};

use super::names;

/// Where fonts come from.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// The committed font folder (`fonts/`).
    pub project_dir: PathBuf,
    /// Extra folders given with `--font-path`.
    pub extra_dirs: Vec<PathBuf>,
    /// Whether to add the operating system's fonts (`--system-fonts`).
    pub system: bool,
    /// Whether each font is read into memory instead of mapped: for a process that runs
    /// for hours (`serve`, `watch`), where a font file rewritten meanwhile (`cp` over it)
    /// would make a mapping fault and end the process.
    pub copied: bool,
}

/// What is known of one face besides its Typst metadata.
#[derive(Debug, Clone)]
pub struct FaceEntry {
    /// The family name Typst knows it by.
    pub family: String,
    /// Every family name of its `name` table (all languages), e.g. `仿宋_GB2312`.
    pub names: Vec<String>,
    /// The file it came from.
    pub path: PathBuf,
    /// Its weight (400 regular, 700 bold).
    pub weight: u16,
}

/// The fonts a build may use.
pub struct Fonts {
    store: FontStore,
    /// Every face, in store order.
    faces: Vec<FaceEntry>,
    /// How many faces (at the start of the store) come from the project's `fonts/`.
    project_faces: usize,
    /// Every character some face covers, one bit each (see [`Fonts::covers_any`]).
    covered: std::sync::OnceLock<Vec<u64>>,
}

/// A face read through a memory map: a 24 MB CJK file is mapped and pre-faulted in a few
/// milliseconds, where copying it into memory takes several times longer. With `copied`,
/// read into memory instead (see [`FontOptions::copied`]).
struct MappedFont {
    path: FontPath,
    copied: bool,
}

impl FontSource for MappedFont {
    fn load(&self) -> Option<Font> {
        if self.copied {
            let bytes = crate::files::read_regular(&self.path.path, MAX_FONT_BYTES).ok()?;
            return Font::new(Bytes::new(bytes), self.path.index);
        }
        let file = std::fs::File::open(&self.path.path).ok()?;
        // SAFETY: the map is read-only and lives as long as the `Font` that owns it. As
        // with every memory-mapped font (fontdb, which typst-kit's scanner uses, maps
        // them too), truncating the file while it is mapped would fault; a one-off build
        // takes that risk for speed, long-running processes copy (`copied`).
        let data = match unsafe { memmap2::MmapOptions::new().populate().map(&file) } {
            Ok(map) => Bytes::new(map),
            Err(_) => Bytes::new(crate::files::read_regular(&self.path.path, MAX_FONT_BYTES).ok()?),
        };
        Font::new(data, self.path.index)
    }
}

/// Deepest folder level a font folder is searched to.
const MAX_SCAN_DEPTH: usize = 8;
/// Most folder entries looked at in one font folder (`--font-path /` must not search the
/// whole disk).
const MAX_SCAN_ENTRIES: usize = 20_000;
/// Largest font file read.
const MAX_FONT_BYTES: u64 = 256 * 1024 * 1024;

/// The faces of the font files in `dir` and its sub-folders: regular files named
/// `*.ttf`, `*.otf`, `*.ttc`, `*.otc` (any case) only, so that a named pipe or a device
/// called `x.ttf` is never opened, within bounds on depth, entries and size, and without
/// following a folder link twice (no loops).
pub fn scan(dir: &Path) -> Vec<(FontPath, FontInfo, Vec<String>)> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut pending: Vec<(PathBuf, usize)> = vec![(dir.to_path_buf(), 0)];
    let mut entries = 0;
    while let Some((folder, depth)) = pending.pop() {
        match folder.canonicalize() {
            Ok(real) if !seen.contains(&real) => seen.push(real),
            _ => continue,
        }
        let Ok(listing) = std::fs::read_dir(&folder) else { continue };
        for entry in listing.flatten() {
            entries += 1;
            if entries > MAX_SCAN_ENTRIES {
                pending.clear();
                break;
            }
            let path = entry.path();
            let Ok(meta) = std::fs::metadata(&path) else { continue };
            if meta.is_dir() {
                if depth < MAX_SCAN_DEPTH {
                    pending.push((path, depth + 1));
                }
                continue;
            }
            let is_font = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["ttf", "otf", "ttc", "otc"].contains(&e.to_ascii_lowercase().as_str()));
            if !is_font || !meta.is_file() || meta.len() > MAX_FONT_BYTES {
                continue;
            }
            files.push(path);
        }
    }
    // Reading a face's coverage (every character of a CJK face, sorted) takes a few
    // milliseconds: the files on every core.
    use rayon::prelude::*;
    files.par_iter().flat_map_iter(|path| faces_of(path)).collect()
}

/// The faces of one font file with their families.
fn faces_of(path: &Path) -> Vec<(FontPath, FontInfo, Vec<String>)> {
    let Ok(file) = std::fs::File::open(path) else { return Vec::new() };
    // SAFETY: read-only map of a regular file, dropped before this function returns.
    let Ok(data) = (unsafe { memmap2::Mmap::map(&file) }) else { return Vec::new() };
    let faces = if data.starts_with(b"ttcf") && data.len() >= 12 {
        u32::from_be_bytes([data[8], data[9], data[10], data[11]])
    } else {
        1
    };
    (0..faces.min(256))
        .filter_map(|index| {
            let info = FontInfo::new(&data, index)?;
            Some((FontPath { path: path.to_path_buf(), index }, info, names::family_names(&data, index)))
        })
        .collect()
}

impl Fonts {
    /// Scans the folders named by `options`. Project fonts come first.
    pub fn load(options: &FontOptions) -> Fonts {
        let mut entries: Vec<(FontPath, FontInfo, Vec<String>)> = Vec::new();
        let mut add = |mut found: Vec<(FontPath, FontInfo, Vec<String>)>| {
            found.sort_by(|a, b| (&a.0.path, a.0.index).cmp(&(&b.0.path, b.0.index)));
            entries.extend(found);
        };
        add(scan(&options.project_dir));
        for dir in &options.extra_dirs {
            add(scan(dir));
        }
        if options.system {
            add(typst_kit::fonts::system()
                .map(|(path, info)| {
                    let names = system_names(&path);
                    (path, info, names)
                })
                .collect());
        }
        let faces = entries
            .iter()
            .map(|(path, info, names)| FaceEntry {
                family: info.family.clone(),
                names: names.clone(),
                path: path.path.clone(),
                weight: info.variant.weight.to_number(),
            })
            .collect();
        let mut store = FontStore::new();
        let copied = options.copied;
        store.extend(entries.into_iter().map(|(path, info, _)| (MappedFont { path, copied }, info)));
        Fonts { store, faces, project_faces: 0, covered: std::sync::OnceLock::new() }
            .counting_project_faces(&options.project_dir)
    }

    fn counting_project_faces(mut self, project_dir: &Path) -> Fonts {
        self.project_faces = self.faces.iter().take_while(|face| face.path.starts_with(project_dir)).count();
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
        self.faces.iter().any(|face| face.family.eq_ignore_ascii_case(family))
    }

    /// The family name Typst knows the font `written` by, as a user writes it: its Typst
    /// family, any family name of its `name` table (`仿宋_GB2312`), or a usual alias.
    pub fn resolve(&self, written: &str) -> Option<&str> {
        let wanted = names::candidates(written);
        self.faces
            .iter()
            .find(|face| names::matches(&wanted, std::slice::from_ref(&face.family)))
            .or_else(|| self.faces.iter().find(|face| names::matches(&wanted, &face.names)))
            .map(|face| face.family.as_str())
    }

    /// Whether `family` has a bold face (weight 600 or more); 仿宋_GB2312 has none.
    pub fn has_bold(&self, family: &str) -> bool {
        self.faces.iter().any(|face| face.family.eq_ignore_ascii_case(family) && face.weight >= 600)
    }

    /// Every face, in store order.
    pub fn faces(&self) -> &[FaceEntry] {
        &self.faces
    }

    /// The files holding faces of `family` (case-insensitive).
    pub fn files_of(&self, family: &str) -> Vec<&Path> {
        self.faces
            .iter()
            .filter(|face| face.family.eq_ignore_ascii_case(family))
            .map(|face| face.path.as_path())
            .collect()
    }

    /// The files that faces were found in, sorted and without duplicates.
    pub fn files(&self) -> Vec<&Path> {
        let mut files: Vec<&Path> = self.faces.iter().map(|face| face.path.as_path()).collect();
        files.sort();
        files.dedup();
        files
    }

    /// Whether a face of `family` (case-insensitive) covers `c`.
    pub fn family_covers(&self, family: &str, c: char) -> bool {
        let book = self.store.book();
        self.faces.iter().enumerate().any(|(index, face)| {
            face.family.eq_ignore_ascii_case(family)
                && book.info(index).is_some_and(|info| info.coverage.contains(c as u32))
        })
    }

    /// Whether any face covers `c` (Typst falls back to any face for a missing glyph).
    /// The union of every face's coverage is made once, on first use, as a bit set:
    /// checking every character of a thousand specs face by face took a fifth of a build
    /// with nothing to do.
    pub fn covers_any(&self, c: char) -> bool {
        let covered = self.covered.get_or_init(|| {
            let mut bits = vec![0u64; (char::MAX as usize + 1).div_ceil(64)];
            let book = self.store.book();
            for info in (0..self.faces.len()).filter_map(|index| book.info(index)) {
                for point in info.coverage.iter() {
                    if let Some(word) = bits.get_mut(point as usize / 64) {
                        *word |= 1 << (point % 64);
                    }
                }
            }
            bits
        });
        covered.get(c as usize / 64).is_some_and(|word| word & (1 << (c as u32 % 64)) != 0)
    }

    /// The distinct family names, in store order.
    pub fn family_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for face in &self.faces {
            if !names.contains(&face.family.as_str()) {
                names.push(&face.family);
            }
        }
        names
    }
}

/// The family names of a system face (read once more: typst-kit's scan keeps only the
/// English one).
fn system_names(path: &FontPath) -> Vec<String> {
    let Ok(file) = std::fs::File::open(&path.path) else { return Vec::new() };
    // SAFETY: read-only map of a font file, dropped before this function returns.
    match unsafe { memmap2::Mmap::map(&file) } {
        Ok(data) => names::family_names(&data, path.index),
        Err(_) => Vec::new(),
    }
}

impl crate::validate::Glyphs for Fonts {
    fn covers(&self, c: char) -> bool {
        self.covers_any(c)
    }

    fn family_names(&self) -> Vec<&str> {
        Fonts::family_names(self)
    }
}
