//! The build pipeline, one way through, one stage per module. [`build`] is the entry point
//! (as zola's `Site::build`): a year whose [`inputs`] are [`unchanged`] since its last
//! build (by their stats, as git's index) is done without parsing; the others are read and validated ([`prepare`](mod@prepare)), their
//! documents, output names and input keys worked out ([`jobs`], keyed by [`keys`]), the
//! year started read-only with its folder locked ([`run`]), every table of every year
//! scheduled on one worker per core ([`schedule`], where laid-out tables meet their
//! report), each document [`produce`]d ([`fit`]ted to its pages, exported, written
//! atomically), and the year [`finish`]ed with its outcomes, manifest and pruning
//! ([`outcome`]). Template and Typst problems become diagnostics in [`errors`]; page
//! images in memory come from [`preview`].
//!
//! Projects with errors are not built and keep their previous PDF; the others are
//! typeset in parallel. Each table is laid out once: its own PDF and the combined report
//! both use those pages (see [`crate::typeset::compose`]), so a report is typeset after
//! its year's last table. The report is written only when the department and every
//! project are valid and built. Nothing is written for an invalid spec, and every file is
//! replaced atomically. A PDF whose inputs are unchanged since it was written (see
//! [`crate::incremental::manifest`]) is not typeset again.

pub mod adopt;
pub mod build;
pub mod errors;
pub mod finish;
pub mod fit;
pub mod inputs;
pub mod jobs;
pub mod keys;
pub mod layouts;
pub mod office;
pub mod outcome;
pub mod period;
pub mod prepare;
pub mod preview;
pub mod produce;
pub mod rendered;
pub mod run;
pub mod schedule;
pub mod sink;
pub mod timings;
pub mod unchanged;

pub use outcome::Document;
pub use outcome::{Outcome, YearResult};
pub use prepare::{Prepared, prepare, prepare_from};
pub use produce::project_source;
pub use schedule::build_years;
pub use sink::{MemorySink, Sink};
pub use timings::{Phase, Timings};

/// Options of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Preferred font families, tried before the form's.
    pub prefs: FontPreferences,
    /// The PDF standard of every PDF (`pdf_standard`, `--pdf-standard`).
    pub pdf_standard: crate::config::PdfStandard,
    /// Page images written next to each PDF (`png`, `svg`; see [`crate::typeset::images`]).
    pub images: Vec<crate::config::OutputFormat>,
    /// Resolution of PNG page images.
    pub ppi: f32,
    /// Tables laid out by earlier builds of this process (`jixiao watch`), reused when
    /// their inputs are the same.
    pub layouts: Option<std::sync::Arc<layouts::LayoutCache>>,
    /// Rebuild every PDF, even when its inputs are unchanged.
    pub force: bool,
    /// Only the report's page images (the editor's preview of a department file): its
    /// tables are laid out (or taken from [`Self::layouts`]) but not exported, and no PDF
    /// is made.
    pub report_preview: bool,
    /// The key of what every output shares (tool, fonts, font options); see
    /// [`keys::environment`].
    pub environment: String,
    /// Where this run's time goes (summed over threads).
    pub timings: std::sync::Arc<Timings>,
    /// Where the documents go.
    pub sink: Sink,
    /// Change marks by year folder (`jixiao diff --pdf`): the documents of a year found
    /// here tell their templates what changed. Such documents are never taken as fresh.
    pub marks: std::collections::BTreeMap<std::path::PathBuf, std::sync::Arc<crate::review::marking::YearMarks>>,
}

/// Preferred font families by role (`jixiao.toml`, the command line), resolved to the
/// names Typst knows them by and tried before the form's own.
#[derive(Debug, Clone, Default)]
pub struct FontPreferences {
    /// Role (`title`, `body`, `label`, `kai`, …) → families, preferred first.
    pub roles: std::collections::BTreeMap<String, Vec<String>>,
    /// The families (lower case) that have a bold face; a role whose font has none gets
    /// its bold from a stroke.
    pub bold: std::collections::BTreeSet<String>,
}
