//! The one integration-test crate: every module runs the real pipeline (most through the
//! real binary) on real specs. One crate, so Typst is linked once.

// A `Diagnostic` travels on the error path only; see the library's note.
#![allow(clippy::result_large_err)]

mod browser;
mod build;
mod catalog;
mod check;
mod common;
mod compose;
mod diff;
mod editor;
mod escaping;
mod evaluation;
mod fitting;
mod fixtures;
mod forms;
mod images;
mod incremental;
mod layers;
mod limits;
mod live_server;
mod messages;
mod new_year;
mod office;
mod office_periods;
mod outputs;
mod pdf;
mod pdfa;
mod readback;
mod readback_forms;
mod readme;
mod sandbox;
mod schema;
mod scratch;
mod serve;
mod settings;
mod sources;
mod special_files;
mod template_data;
mod textconv;
mod typst_snapshot;
mod unchanged;
mod view;
mod watch;
