//! A progress bar on stderr for batches, only when a person is watching (stderr is a
//! terminal, not CI, not `--quiet`).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar that may be switched off.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar for `total` outputs, shown only when useful.
    pub fn new(total: usize, quiet: bool) -> Progress {
        let watched = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        if quiet || !watched || total < 2 {
            return Progress(None);
        }
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template("{spinner} 正在生成 [{bar:30}] {pos}/{len} {elapsed}") {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress(Some(bar))
    }

    /// One more output done.
    pub fn tick(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    /// Removes the bar before the results are printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
