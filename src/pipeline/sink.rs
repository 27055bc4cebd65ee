//! Where documents go: the output folders on disk (atomic writes, the manifest that
//! makes builds incremental, a lock per folder, pruning of our own stale PDFs), or memory
//! (for a preview server and for tests: nothing on disk is read or written, every
//! document is made). The bytes are the same either way.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::incremental::write::write_atomic;

/// Where a build's documents go.
#[derive(Clone, Default, Debug)]
pub enum Sink {
    /// Files in the output folders.
    #[default]
    Disk,
    /// Held in memory by path.
    Memory(MemorySink),
}

/// Documents held in memory, by the path they would have on disk.
#[derive(Clone, Default, Debug)]
pub struct MemorySink {
    files: Arc<Mutex<BTreeMap<PathBuf, Vec<u8>>>>,
}

impl MemorySink {
    /// A copy of everything written so far.
    pub fn files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl Sink {
    /// Whether documents go to disk (and so builds are incremental there).
    pub fn is_disk(&self) -> bool {
        matches!(self, Sink::Disk)
    }

    /// Writes one document.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        match self {
            Sink::Disk => write_atomic(path, bytes),
            Sink::Memory(memory) => {
                memory.files.lock().unwrap_or_else(PoisonError::into_inner).insert(path.to_path_buf(), bytes.to_vec());
                Ok(())
            }
        }
    }
}
