//! One module per subcommand. A command does not print or exit: it returns what it has
//! to say, in order, and how it ended ([`crate::session::Done`]), or why it stopped
//! before any work ([`crate::session::Stopped`]); the binary prints and owns the exit
//! codes. Settings, year folders and fonts come from [`crate::session`].

pub mod bench;
pub mod build;
pub mod check;
pub mod diff;
pub mod fonts;
pub mod forms;
pub mod import;
pub mod init;
pub mod new_year;
pub mod preview;
pub mod schema;
pub mod textconv;
pub mod watch;

use crate::cli::{FormatArg, ReportArgs};
use crate::diag::rules::Kind;
use crate::diag::{Severity, Sources, summary};
use crate::pipeline::YearResult;
use crate::session::Status;

/// A year's diagnostics as text (warnings only when not quiet).
pub fn diagnostics_text(sources: &Sources, result: &YearResult, report: &ReportArgs) -> String {
    let shown: Vec<_> =
        result.diagnostics.iter().filter(|d| !report.quiet || d.severity == Severity::Error).cloned().collect();
    let mut text = sources.render(&shown, report.message_format.into());
    if report.message_format == FormatArg::Rich && !shown.is_empty() {
        text.push('\n');
    }
    text
}

/// How a set of results ends: trouble when a file could not be read or written, failed
/// for any other error (or, with `deny_warnings`, a warning) or an output not made.
pub fn status(results: &[YearResult], deny_warnings: bool) -> Status {
    let io = results.iter().flat_map(|r| &r.diagnostics).any(|d| d.is_error() && d.rule.kind == Kind::Io);
    if io {
        return Status::Trouble;
    }
    let errors = results.iter().flat_map(|r| &r.diagnostics).any(|d| d.is_error());
    let warnings = results.iter().flat_map(|r| &r.diagnostics).any(|d| !d.is_error());
    let incomplete = results.iter().any(|r| r.failed() + r.skipped() > 0);
    if errors || incomplete || (deny_warnings && warnings) { Status::Failed } else { Status::Ok }
}

/// The one-line count of problems over all results.
pub fn problem_summary(results: &[YearResult]) -> String {
    summary(results.iter().flat_map(|r| &r.diagnostics))
}
