//! Laid-out tables kept between builds of one process (`jixiao watch`): a table whose
//! inputs did not change is not laid out again when its year's report is, so saving one
//! spec of a 50-project year lays out one table, not fifty.
//!
//! Entries are keyed by the document's input key (its spec, its department, the form, the
//! fonts: see [`super::keys`]); the least recently used go first beyond [`CAPACITY`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use typst_layout::PagedDocument;

use crate::diag::Diagnostic;

/// Most tables kept.
pub const CAPACITY: usize = 4096;

/// A laid-out table and Typst's warnings about it.
pub type LaidTable = (Arc<PagedDocument>, Vec<Diagnostic>);

/// The tables by input key, each with when it was last used.
type Entries = HashMap<String, (u64, LaidTable)>;

/// Laid-out tables by input key.
#[derive(Default)]
pub struct LayoutCache {
    /// A use counter, and the entries.
    entries: Mutex<(u64, Entries)>,
}

impl std::fmt::Debug for LayoutCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.entries.lock().unwrap_or_else(PoisonError::into_inner).1.len();
        write!(f, "LayoutCache({count} tables)")
    }
}

impl LayoutCache {
    /// The table laid out from inputs with `key`, if kept.
    pub fn get(&self, key: &str) -> Option<LaidTable> {
        let mut guard = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let (clock, entries) = &mut *guard;
        *clock += 1;
        let entry = entries.get_mut(key)?;
        entry.0 = *clock;
        Some(entry.1.clone())
    }

    /// Keeps a table laid out from inputs with `key`.
    pub fn put(&self, key: &str, table: LaidTable) {
        let mut guard = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let (clock, entries) = &mut *guard;
        *clock += 1;
        entries.insert(key.to_string(), (*clock, table));
        if entries.len() > CAPACITY {
            let mut ages: Vec<u64> = entries.values().map(|(used, _)| *used).collect();
            ages.sort_unstable();
            let cut = ages[entries.len() - CAPACITY];
            entries.retain(|_, (used, _)| *used >= cut);
        }
    }

    /// How many tables are kept.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).1.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
