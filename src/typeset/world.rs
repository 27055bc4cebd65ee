//! The Typst `World`: one generated main file, the form's folder, the font store.
//!
//! The compiler sees a sandbox: the generated main source (which lives at a fixed
//! virtual path inside the form's folder, so `#import "style.typ"` resolves there), and
//! read-only files under the form's folder. Paths are canonicalised and must stay inside
//! that folder, so neither `..` nor a symlink can escape; only regular files of bounded
//! size are read. Packages (`@preview/…`) and anything else are refused, and so are
//! WebAssembly plugins (see [`super::library`]). There is no clock: `datetime.today()`
//! is `none`.

use std::path::{Path, PathBuf};

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

use super::fonts::Fonts;
use crate::files::{NotAFile, ReadError, read_bytes};
use crate::form::MAX_FORM_FOLDER_BYTES;

/// The virtual path of the generated main file.
const MAIN_PATH: &str = "/__jixiao_main__.typ";

/// The id of the generated main file; the same id serves every document of a batch,
/// because typst caps file ids at 2^16.
pub fn main_id() -> FileId {
    // The path is fixed and valid, so `VirtualPath::new` cannot fail here.
    let vpath = VirtualPath::new(MAIN_PATH).unwrap_or_else(|_| unreachable!("constant path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// A world for compiling one generated document.
pub struct ReportWorld<'a> {
    library: &'a LazyHash<Library>,
    fonts: &'a Fonts,
    root: &'a Path,
    main: Source,
}

impl<'a> ReportWorld<'a> {
    /// A world whose main file is `source`, reading from `root` (canonical) only.
    pub fn new(library: &'a LazyHash<Library>, fonts: &'a Fonts, root: &'a Path, source: String) -> Self {
        ReportWorld { library, fonts, root, main: Source::new(main_id(), source) }
    }

    /// The main source.
    pub fn main_source(&self) -> &Source {
        &self.main
    }

    /// Resolves a file id to a real path inside the root, or refuses it.
    fn resolve(&self, id: FileId) -> FileResult<PathBuf> {
        if let VirtualRoot::Package(spec) = id.root() {
            return Err(FileError::Package(PackageError::Other(Some(
                format!("不允许使用 Typst 包 {spec}：表样只能读取自己目录中的文件").into(),
            ))));
        }
        let path = id.vpath().realize(self.root).map_err(FileError::Realize)?;
        let real = path.canonicalize().map_err(|e| FileError::from_io(e, &path))?;
        if !real.starts_with(self.root) {
            return Err(FileError::Other(Some(
                format!("拒绝读取表样目录以外的文件：{}", id.vpath().get_with_slash()).into(),
            )));
        }
        Ok(real)
    }

    fn read(&self, id: FileId) -> FileResult<Vec<u8>> {
        let path = self.resolve(id)?;
        // Only regular files, and not larger than a form may be: a FIFO would block the
        // build and a device would never end.
        read_bytes(&path, self.root, MAX_FORM_FOLDER_BYTES).map_err(|e| match e {
            ReadError::NotAFile(NotAFile::Directory) => FileError::IsDirectory,
            ReadError::NotAFile(kind) => {
                FileError::Other(Some(format!("无法读取 {}：{}", id.vpath().get_with_slash(), kind.describe()).into()))
            }
            ReadError::TooLarge(size) => {
                FileError::Other(Some(format!("文件 {} 过大（{size} 字节）", id.vpath().get_with_slash()).into()))
            }
            ReadError::Io(e) => FileError::from_io(e, &path),
            ReadError::NotUtf8(_) => FileError::InvalidUtf8,
        })
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let bytes = self.read(id)?;
        let text = String::from_utf8(bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_string()));
        }
        self.read(id).map(Bytes::new)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
