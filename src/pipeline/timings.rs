//! Where the time of one build goes: cumulative time per phase, summed over threads, and
//! the PDFs exported. A value carried through one run (`BuildOptions::timings`), so that
//! every run, in a long-running process too, counts only its own work.

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
    /// Office files (`xlsx`, `docx`): the printed grid read from the Typst source, and
    /// the files made from it.
    Office,
    /// Writing files and the manifest.
    Write,
}

/// Every phase, in pipeline order.
pub const PHASES: [Phase; 6] = [Phase::Validate, Phase::Render, Phase::Layout, Phase::Pdf, Phase::Office, Phase::Write];

impl Phase {
    /// A short Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Validate => "读取与检查",
            Phase::Render => "模板渲染",
            Phase::Layout => "Typst 排版",
            Phase::Pdf => "PDF 导出",
            Phase::Office => "Excel、Word 导出",
            Phase::Write => "写入文件",
        }
    }
}

/// The time of one run, by phase.
#[derive(Debug, Default)]
pub struct Timings {
    nanos: [AtomicU64; PHASES.len()],
    documents: AtomicU64,
}

impl Timings {
    /// Runs `f` and adds its duration to `phase`.
    pub fn time<T>(&self, phase: Phase, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let result = f();
        self.nanos[phase as usize].fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        result
    }

    /// Counts one exported PDF.
    pub fn count_document(&self) {
        self.documents.fetch_add(1, Ordering::Relaxed);
    }

    /// Time per phase so far (summed over threads), and PDFs exported.
    pub fn snapshot(&self) -> (Vec<(Phase, Duration)>, u64) {
        let times = PHASES
            .iter()
            .map(|p| (*p, Duration::from_nanos(self.nanos[*p as usize].load(Ordering::Relaxed))))
            .collect();
        (times, self.documents.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_run_counts_its_own_work() {
        let first = Timings::default();
        first.time(Phase::Layout, || std::thread::sleep(Duration::from_millis(2)));
        first.count_document();
        let second = Timings::default();
        assert_eq!(second.snapshot().1, 0);
        let (phases, documents) = first.snapshot();
        assert_eq!(documents, 1);
        assert!(phases.iter().any(|(p, d)| *p == Phase::Layout && *d >= Duration::from_millis(2)));
    }
}
