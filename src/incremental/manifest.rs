//! Incremental builds: a small manifest per output folder remembers, for each PDF, the
//! key of the inputs it was made from and the hash of the bytes written.
//!
//! A PDF is rebuilt when its key changes (spec file, department file, the form's files,
//! the font files, the font options or the tool itself), when the file is missing, or
//! when its bytes no longer match (edited or replaced by hand). The manifest is
//! `out/<year>/.jixiao-manifest`; it is machine-specific (fonts are identified by size and
//! modification time) and ignored by git.
//!
//! The manifest is also the record of what the tool may delete: a name in it is only
//! trusted when it is a plain output name (see [`is_output_name`]); anything else in the
//! file (a path, `..`, a hidden name) is ignored, so an edited manifest cannot make a build
//! delete anything. It names the year folder it was written for, so that one folder's
//! outputs are never pruned by a build of another.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use sha2::{Digest, Sha256};

use crate::files::read_bytes;
use crate::incremental::write::{read_output, write_atomic};
use crate::validate::outputs::is_output_name;

/// The manifest's file name inside an output folder.
pub const MANIFEST_FILE: &str = ".jixiao-manifest";
const HEADER: &str = "# jixiao manifest v3: <file>\t<input key>\t<output sha256>\t<size:mtime>";
const SOURCE: &str = "# source: ";
/// Largest manifest read (a line per output, about 200 bytes each).
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

/// What is known about one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Key of the inputs.
    pub input: String,
    /// SHA-256 of the bytes written.
    pub output: String,
    /// Size and modification time of the file when it was written (see [`file_stamp`]):
    /// while they are unchanged the file is not read again to check its hash.
    pub stamp: String,
}

/// The manifest of one output folder.
#[derive(Debug, Default, Clone)]
pub struct Manifest {
    /// The year folder whose outputs these are, as [`crate::workspace::Workspace`] names it
    /// (relative to the project root when inside it); `None` in a manifest without one.
    pub source: Option<String>,
    /// Entries by output file name.
    pub entries: BTreeMap<String, Entry>,
}

impl Manifest {
    /// Reads the manifest of `dir`; a missing or unreadable one is empty, and lines that
    /// do not name a plain output file are dropped.
    pub fn load(dir: &Path) -> Manifest {
        dir.canonicalize().map(|real| Manifest::load_real(&real)).unwrap_or_default()
    }

    /// [`Self::load`] for a folder named by its real path.
    pub fn load_real(real: &Path) -> Manifest {
        let Ok(bytes) = read_bytes(&real.join(MANIFEST_FILE), real, MAX_MANIFEST_BYTES) else {
            return Manifest::default();
        };
        let text = String::from_utf8_lossy(&bytes);
        let source = text.lines().find_map(|l| l.strip_prefix(SOURCE)).map(str::to_string);
        let entries = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut parts = l.split('\t');
                let (name, input, output, stamp) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
                let entry = Entry { input: input.to_string(), output: output.to_string(), stamp: stamp.to_string() };
                Some((name.to_string(), entry))
            })
            .filter(|(name, _)| is_output_name(name))
            .collect();
        Manifest { source, entries }
    }

    /// Writes the manifest into `dir` atomically.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        let mut text = format!("{HEADER}\n");
        if let Some(source) = &self.source {
            text.push_str(&format!("{SOURCE}{source}\n"));
        }
        for (name, entry) in &self.entries {
            text.push_str(&format!("{name}\t{}\t{}\t{}\n", entry.input, entry.output, entry.stamp));
        }
        write_atomic(&dir.join(MANIFEST_FILE), text.as_bytes())
    }

    /// Whether the file `name` in `dir` is exactly what this manifest says the tool wrote:
    /// a regular file (not a link) whose bytes have the recorded hash. Only such a file may
    /// be deleted.
    pub fn wrote(&self, dir: &Path, name: &str) -> bool {
        let Some(entry) = self.entries.get(name) else { return false };
        let path = dir.join(name);
        is_output_name(name) && read_output(&path).is_some_and(|bytes| hex_sha256(&bytes) == entry.output)
    }

    /// The entries of the page images of the PDF named `pdf` (`build --format png,svg`).
    pub fn images_of<'a>(&'a self, pdf: &'a str) -> impl Iterator<Item = (&'a String, &'a Entry)> + 'a {
        // They sort right after the names they begin with.
        let stem = pdf.strip_suffix(".pdf").unwrap_or(pdf);
        self.entries
            .range::<str, _>((std::ops::Bound::Included(stem), std::ops::Bound::Unbounded))
            .take_while(move |(n, _)| n.starts_with(stem))
            .filter(move |(n, _)| crate::validate::outputs::image_owner(n).as_deref() == Some(pdf))
    }

    /// Whether the page images of the PDF at `pdf` in each of `extensions` (`png`, `svg`)
    /// were made from inputs with `key` and are still as written: at least one per
    /// extension, every one fresh.
    pub fn images_fresh(&self, pdf: &Path, key: &str, extensions: &[&str]) -> bool {
        let Some(name) = pdf.file_name().and_then(|n| n.to_str()) else { return false };
        extensions.iter().all(|extension| {
            let mine: Vec<&String> =
                self.images_of(name).map(|(n, _)| n).filter(|n| n.ends_with(&format!(".{extension}"))).collect();
            !mine.is_empty() && mine.iter().all(|n| self.is_fresh(&pdf.with_file_name(n.as_str()), key))
        })
    }

    /// Whether `path` was made from inputs with `key` and is still exactly what was
    /// written then. A file whose size or modification time changed is read and hashed;
    /// only an identical hash keeps it.
    pub fn is_fresh(&self, path: &Path, key: &str) -> bool {
        self.is_fresh_as(path, fs::symlink_metadata(path).ok().as_ref(), key)
    }

    /// [`Self::is_fresh`] for a file whose metadata (of the entry itself, as a folder's
    /// listing gives it; `None`: not there) was already taken.
    pub fn is_fresh_as(&self, path: &Path, meta: Option<&fs::Metadata>, key: &str) -> bool {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
        let Some(entry) = self.entries.get(name) else { return false };
        if entry.input != key {
            return false;
        }
        // A regular file (not a link) has its own stamp.
        let Some(meta) = meta.filter(|m| m.file_type().is_file()) else { return false };
        entry.stamp == stamp_of(meta) || read_output(path).is_some_and(|b| hex_sha256(&b) == entry.output)
    }
}

/// Hex SHA-256 of some bytes.
pub fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Builds an input key from labelled parts.
#[derive(Clone)]
pub struct KeyBuilder(Sha256);

impl KeyBuilder {
    /// A key that starts from `base` (a previously finished key, or "").
    pub fn new(base: &str) -> KeyBuilder {
        let mut hasher = Sha256::new();
        hasher.update(base.as_bytes());
        KeyBuilder(hasher)
    }

    /// Adds a labelled part (lengths are included, so parts cannot run together).
    pub fn add(mut self, label: &str, bytes: &[u8]) -> KeyBuilder {
        for part in [label.as_bytes(), bytes] {
            self.0.update((part.len() as u64).to_le_bytes());
            self.0.update(part);
        }
        self
    }

    /// The key as hex.
    pub fn finish(self) -> String {
        self.0.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Size and modification time of a file, as text ("-" when it cannot be read).
pub fn file_stamp(path: &Path) -> String {
    fs::metadata(path).ok().map(|m| stamp_of(&m)).unwrap_or_else(|| "-".into())
}

/// Size and modification time from a file's metadata (see [`file_stamp`]).
fn stamp_of(meta: &fs::Metadata) -> String {
    let modified = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_nanos());
    format!("{}:{}", meta.len(), modified.unwrap_or_default())
}

/// The key of the environment every output shares: the tool (its version and its
/// executable), the font files, and the options that change output (by name).
pub fn environment_key(font_files: &[PathBuf], options: &[(&str, &str)]) -> String {
    let exe = std::env::current_exe().map(|p| file_stamp(&p)).unwrap_or_default();
    let mut key = KeyBuilder::new("").add("version", env!("CARGO_PKG_VERSION").as_bytes()).add("exe", exe.as_bytes());
    for file in font_files {
        key = key.add("font", file.to_string_lossy().as_bytes()).add("stamp", file_stamp(file).as_bytes());
    }
    for (name, value) in options {
        key = key.add(name, value.as_bytes());
    }
    key.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_detects_edits() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("a.pdf");
        fs::write(&pdf, b"%PDF-1.7 one").unwrap();
        let mut manifest = Manifest { source: Some("specs/2024".into()), ..Manifest::default() };
        let entry = Entry { input: "k1".into(), output: hex_sha256(b"%PDF-1.7 one"), stamp: file_stamp(&pdf) };
        manifest.entries.insert("a.pdf".into(), entry);
        manifest.save(dir.path()).unwrap();
        let loaded = Manifest::load(dir.path());
        assert_eq!(loaded.source.as_deref(), Some("specs/2024"));
        assert!(loaded.is_fresh(&pdf, "k1"));
        assert!(!loaded.is_fresh(&pdf, "k2"), "inputs changed");
        fs::write(&pdf, b"%PDF-1.7 edited").unwrap();
        assert!(!loaded.is_fresh(&pdf, "k1"), "edited by hand");
        fs::write(&pdf, b"%PDF-1.7 one").unwrap();
        assert!(loaded.is_fresh(&pdf, "k1"), "touched but identical: the hash decides");
        fs::remove_file(&pdf).unwrap();
        assert!(!loaded.is_fresh(&pdf, "k1"), "deleted");
        assert_ne!(KeyBuilder::new("").add("a", b"bc").finish(), KeyBuilder::new("").add("ab", b"c").finish());
    }

    #[test]
    fn names_that_are_not_plain_outputs_are_never_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.yaml");
        fs::write(&victim, "keep me").unwrap();
        let lines = format!(
            "{HEADER}\n../../specs/2024/projects/131003008.yaml\tk\t{h}\t-\n{abs}\tk\t{h}\t-\n.jixiao-manifest\tk\t{h}\t-\nok.pdf\tk\t{h}\t-\n",
            h = hex_sha256(b"keep me"),
            abs = victim.display()
        );
        fs::write(dir.path().join(MANIFEST_FILE), lines).unwrap();
        let loaded = Manifest::load(dir.path());
        assert_eq!(loaded.entries.keys().collect::<Vec<_>>(), ["ok.pdf"]);
        fs::write(dir.path().join("ok.pdf"), b"changed by hand").unwrap();
        assert!(!loaded.wrote(dir.path(), "ok.pdf"), "bytes that are not ours");
        fs::write(dir.path().join("ok.pdf"), b"keep me").unwrap();
        assert!(loaded.wrote(dir.path(), "ok.pdf"));
    }
}
