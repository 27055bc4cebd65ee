//! A progress bar on stderr for batches, only when a person is watching (stderr is a
//! terminal, not CI, not `--quiet`).

use std::io::IsTerminal;
use std::sync::{Mutex, PoisonError};

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar that may be switched off; it appears once its total is known.
pub struct Progress {
    watched: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl Progress {
    /// A bar for `total` outputs (`0`: told later with [`Progress::set_total`]), shown
    /// only when useful.
    pub fn new(total: usize, quiet: bool) -> Progress {
        let watched = !quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let progress = Progress { watched, bar: Mutex::new(None) };
        progress.set_total(total);
        progress
    }

    /// How many outputs there are: a bar appears for two or more.
    pub fn set_total(&self, total: usize) {
        if !self.watched || total < 2 {
            return;
        }
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template("{spinner} 正在生成 [{bar:30}] {pos}/{len} {elapsed}") {
            bar.set_style(style.progress_chars("=> "));
        }
        *self.bar.lock().unwrap_or_else(PoisonError::into_inner) = Some(bar);
    }

    /// One more output done.
    pub fn tick(&self) {
        if let Some(bar) = &*self.bar.lock().unwrap_or_else(PoisonError::into_inner) {
            bar.inc(1);
        }
    }

    /// Removes the bar before the results are printed.
    pub fn finish(&self) {
        if let Some(bar) = &*self.bar.lock().unwrap_or_else(PoisonError::into_inner) {
            bar.finish_and_clear();
        }
    }
}
