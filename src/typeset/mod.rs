//! Typesetting: generated Typst source → PDF bytes, in-process, reproducibly.
//!
//! [`Typesetter`] holds what every document of a batch shares (the standard library and
//! the font store) and lays out one document at a time in a sandboxed [`world`]; laid-out
//! pages can be exported as they are or first put together with others ([`compose`]).
//! PDFs carry no wall-clock time: the creation date is the spec's 编制日期, else
//! `SOURCE_DATE_EPOCH` when set; the document identifier comes from a stable
//! per-document key. PDF/A-2b and A-3b are written on request ([`PdfSettings`]).

pub mod cells;
pub mod compose;
pub mod fonts;
pub mod images;
pub mod library;
pub mod memory;
pub mod names;
pub mod overflow;
pub mod world;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use typst::diag::{Severity, SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst::utils::LazyHash;
use typst::{Library, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::config::PdfStandard;
use fonts::Fonts;
use world::ReportWorld;

/// A finished PDF.
pub struct Pdf {
    /// The PDF file's bytes.
    pub bytes: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// Warnings from Typst (e.g. an unknown font family).
    pub warnings: Vec<TypstMessage>,
}

/// A laid-out document: its pages, ready to export or to compose with others.
pub struct Laid {
    /// The document.
    pub document: PagedDocument,
    /// Warnings from Typst (e.g. an unknown font family).
    pub warnings: Vec<TypstMessage>,
}

/// A Typst error or warning, located in the generated source.
#[derive(Debug, Clone)]
pub struct TypstMessage {
    /// Whether it stops the build.
    pub is_error: bool,
    /// Typst's message (English) with its hints.
    pub message: String,
    /// 1-based line in the generated source, when known.
    pub line: Option<usize>,
    /// The generated line, when known.
    pub snippet: Option<String>,
}

/// How a PDF is written besides its pages: the standard it conforms to and its date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PdfSettings {
    /// The PDF standard (plain PDF 1.7, PDF/A-2b, PDF/A-3b).
    pub standard: PdfStandard,
    /// The document date (year, month, day; China Standard Time), from the spec's
    /// 编制日期; `SOURCE_DATE_EPOCH` (or no date) when `None`.
    pub date: Option<(i32, u8, u8)>,
}

/// What every document of a batch shares.
pub struct Typesetter {
    library: LazyHash<Library>,
    fonts: Fonts,
    timestamp: Option<Timestamp>,
    /// Longest a layout may take (see [`Typesetter::with_time_limit`]).
    time_limit: Duration,
    /// Most memory the process may hold while laying out, in bytes (see
    /// [`Typesetter::with_memory_limit`]).
    memory_limit: u64,
    /// Documents laid out once for the whole batch, by root and source.
    shared: Mutex<HashMap<(PathBuf, String), Arc<PagedDocument>>>,
}

impl Typesetter {
    /// A typesetter with the given fonts; the PDF date comes from `SOURCE_DATE_EPOCH`.
    pub fn new(fonts: Fonts) -> Typesetter {
        let timestamp = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .and_then(timestamp_from_epoch);
        Typesetter {
            library: LazyHash::new(library::library()),
            fonts,
            timestamp,
            time_limit: DEFAULT_TIME_LIMIT,
            memory_limit: memory::default_limit(),
            shared: Mutex::default(),
        }
    }

    /// The same typesetter with another time limit per layout. Typst cannot be
    /// interrupted, so a layout still running at its limit (a template that loops without
    /// end) ends the process with error E0403, naming what was being laid out.
    pub fn with_time_limit(mut self, limit: Duration) -> Typesetter {
        self.time_limit = limit;
        self
    }

    /// The same typesetter with another memory limit (bytes). Typst cannot be
    /// interrupted, so a layout that takes the process past it (a template building a
    /// huge array) ends the process with error E0405, naming what was being laid out.
    pub fn with_memory_limit(mut self, bytes: u64) -> Typesetter {
        self.memory_limit = bytes;
        self
    }

    /// The fonts in use.
    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// Compiles `source` (whose imports resolve inside `root`) into a PDF. `ident` must
    /// be stable and unique per document (e.g. `2024/131003001`).
    pub fn compile(&self, root: &Path, source: String, ident: &str) -> Result<Pdf, Vec<TypstMessage>> {
        let Laid { document, warnings } = self.layout(root, source, ident)?;
        let bytes = self.export(&document, ident, &PdfSettings::default())?;
        Ok(Pdf { bytes, pages: document.pages().len(), warnings })
    }

    /// Lays out `source` (whose imports resolve inside `root`) into pages; `what` names the
    /// document (and its template) should it run past the time limit.
    pub fn layout(&self, root: &Path, source: String, what: &str) -> Result<Laid, Vec<TypstMessage>> {
        let world = ReportWorld::new(&self.library, &self.fonts, root, source);
        let watch = Watchdog::start(self.time_limit, self.memory_limit, what);
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        drop(watch);
        let result = match output {
            Ok(document) => Ok(Laid { document, warnings: messages(Some(&world), &warnings) }),
            Err(errors) => Err(messages(Some(&world), &errors)),
        };
        // Memoized results of older documents are useless for the next one; keep the
        // cache small on success and on error alike.
        typst::comemo::evict(3);
        result
    }

    /// Like [`layout`](Self::layout), for a document many others share (a footer
    /// sheet): laid out once per batch, its warnings dropped (the documents laid over it
    /// report the same ones).
    pub fn layout_shared(&self, root: &Path, source: String) -> Result<Arc<PagedDocument>, Vec<TypstMessage>> {
        // Held while laying out, so that workers asking at once lay it out only once.
        let mut shared = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (root.to_path_buf(), source);
        if let Some(document) = shared.get(&key) {
            return Ok(Arc::clone(document));
        }
        let document = Arc::new(self.layout(root, key.1.clone(), "页脚页")?.document);
        shared.insert(key, Arc::clone(&document));
        Ok(document)
    }

    /// Whether documents get a date without one of their own (`SOURCE_DATE_EPOCH`).
    pub fn has_default_date(&self) -> bool {
        self.timestamp.is_some()
    }

    /// Exports laid-out (or composed) pages as a PDF. `ident` must be stable and unique
    /// per document (e.g. `2024/131003001`). The PDF is tagged; with a PDF/A standard,
    /// Typst checks conformance and writes the XMP identification.
    pub fn export(
        &self,
        document: &PagedDocument,
        ident: &str,
        settings: &PdfSettings,
    ) -> Result<Vec<u8>, Vec<TypstMessage>> {
        let standard = match settings.standard {
            PdfStandard::Pdf17 => typst_pdf::PdfStandard::V_1_7,
            PdfStandard::A2b => typst_pdf::PdfStandard::A_2b,
            PdfStandard::A3b => typst_pdf::PdfStandard::A_3b,
        };
        let standards = typst_pdf::PdfStandards::new(&[standard]).map_err(|e| {
            vec![TypstMessage { is_error: true, message: e.message().to_string(), line: None, snippet: None }]
        })?;
        let date = settings.date.and_then(|(y, m, d)| Datetime::from_ymd_hms(y, m, d, 0, 0, 0));
        let options = PdfOptions {
            ident: Smart::Custom(ident.to_string()),
            creator: Smart::Custom(Some(format!("jixiao {}", env!("CARGO_PKG_VERSION")))),
            timestamp: date.and_then(|d| Timestamp::new_local(d, CHINA_STANDARD_TIME)).or(self.timestamp),
            standards,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(document, &options).map_err(|errors| messages(None, &errors))
    }
}

/// The time limit of one layout unless told otherwise: a combined report of a hundred
/// projects takes a few seconds.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(120);

/// Watches one layout from another thread; ends the process if it is still running at
/// its time limit, or if the process holds more memory than its memory limit meanwhile.
/// Dropping it (the layout finished) stops the watch.
struct Watchdog {
    _done: mpsc::Sender<()>,
}

/// How often a layout's memory is looked at.
const MEMORY_POLL: Duration = Duration::from_millis(20);

/// Set by the first watchdog that stops the process (another one says nothing more).
static STOPPING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl Watchdog {
    fn start(limit: Duration, memory_limit: u64, what: &str) -> Watchdog {
        let (done, finished) = mpsc::channel::<()>();
        let what = what.to_string();
        let watch = move || {
            let started = std::time::Instant::now();
            loop {
                match finished.recv_timeout(MEMORY_POLL.min(limit)) {
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    _ => return,
                }
                if memory::resident_bytes().is_some_and(|bytes| bytes > memory_limit) {
                    stop(&format!(
                        "错误[E0405]: {what}的排版占用内存超过上限 {} MB，已停止生成\n  = 提示：多为表样模板中有过大的计算（如很大的 range）或过多的页；请联系维护表样的同事。上限可用 --memory-limit（MB）调整。已经生成的 PDF 保持不变。",
                        memory_limit / (1024 * 1024)
                    ));
                }
                if started.elapsed() >= limit {
                    stop(&format!(
                        "错误[E0403]: {what}的排版超过 {} 秒仍未完成，已停止生成\n  = 提示：多为表样模板中有不会结束的循环或过大的计算；请联系维护表样的同事。已经生成的 PDF 保持不变。",
                        limit.as_secs()
                    ));
                }
            }
        };
        // Without a thread there is no watch; the layout still runs.
        let _ = std::thread::Builder::new().name("jixiao-watchdog".into()).spawn(watch);
        Watchdog { _done: done }
    }
}

/// Says why and ends the process (once, whichever watchdog gets here first).
fn stop(message: &str) {
    if STOPPING.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    eprintln!("{message}");
    std::process::exit(1);
}

/// UTC+8, in minutes: a 编制日期 is a date in China.
const CHINA_STANDARD_TIME: i32 = 8 * 60;

/// A UTC timestamp from seconds since 1970 (for `SOURCE_DATE_EPOCH`).
fn timestamp_from_epoch(seconds: i64) -> Option<Timestamp> {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let (year, month, day) = crate::value::civil_from_days(days);
    let (year, month, day) = (year as i32, month as u8, day as u8);
    let datetime =
        Datetime::from_ymd_hms(year, month, day, (secs / 3600) as u8, (secs % 3600 / 60) as u8, (secs % 60) as u8)?;
    Some(Timestamp::new_utc(datetime))
}

/// Typst's diagnostics as messages, located in the generated source when `world` (the
/// one that produced them) is known.
fn messages(world: Option<&ReportWorld>, diagnostics: &[SourceDiagnostic]) -> Vec<TypstMessage> {
    diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.to_string();
            for hint in &d.hints {
                message.push_str(&format!("（hint: {}）", hint.v));
            }
            let (mut line, mut snippet) = (None, None);
            if let Some(world) = world {
                let main = world.main_source();
                let in_main = d.span.id() == Some(main.id());
                let range = if in_main { world.range(d.span) } else { None };
                line = range.as_ref().and_then(|r| main.lines().byte_to_line(r.start)).map(|l| l + 1);
                snippet = line.and_then(|l| main.text().lines().nth(l - 1)).map(str::to_string);
            }
            TypstMessage { is_error: d.severity == Severity::Error, message, line, snippet }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_to_civil_date() {
        assert!(timestamp_from_epoch(0).is_some());
        // 2024-02-29 12:00:00 UTC
        let ts = timestamp_from_epoch(1_709_208_000).map(|t| format!("{t:?}"));
        assert!(ts.is_some_and(|s| s.contains("2024") && s.contains("29")), "leap day");
    }
}
