//! Where build time goes: cumulative time per phase, summed over all threads.
//!
//! Cheap enough to be always on (one atomic add per phase per document); `jixiao bench`
//! and `build --verbose` print it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A phase of the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading and validating specs.
    Validate,
    /// minijinja rendering of Typst source.
    Render,
    /// Typst compilation (evaluation and layout).
    Layout,
    /// PDF export.
    Pdf,
    /// Writing files and the manifest.
    Write,
}

/// Every phase, in pipeline order.
pub const PHASES: [Phase; 5] = [Phase::Validate, Phase::Render, Phase::Layout, Phase::Pdf, Phase::Write];

static NANOS: [AtomicU64; 5] = [const { AtomicU64::new(0) }; 5];
static DOCUMENTS: AtomicU64 = AtomicU64::new(0);

impl Phase {
    /// A short Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Validate => "读取与检查",
            Phase::Render => "模板渲染",
            Phase::Layout => "Typst 排版",
            Phase::Pdf => "PDF 导出",
            Phase::Write => "写入文件",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Runs `f` and adds its duration to `phase`.
pub fn time<T>(phase: Phase, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let result = f();
    NANOS[phase.index()].fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
    result
}

/// Counts one exported document (a PDF).
pub fn count_document() {
    DOCUMENTS.fetch_add(1, Ordering::Relaxed);
}

/// Time spent per phase so far (summed over threads) and documents typeset.
pub fn snapshot() -> (Vec<(Phase, Duration)>, u64) {
    let times = PHASES.iter().map(|p| (*p, Duration::from_nanos(NANOS[p.index()].load(Ordering::Relaxed)))).collect();
    (times, DOCUMENTS.load(Ordering::Relaxed))
}

/// Peak resident memory of this process in bytes (Linux `VmHWM`), if known.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
