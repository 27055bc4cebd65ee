//! One module per subcommand. A command does not print or exit: it returns what it has
//! to say, in order, and how it ended ([`Done`]), or why it stopped before any work
//! ([`Stopped`]); the binary prints and owns the exit codes.

pub mod bench;
pub mod build;
pub mod check;
pub mod diff;
pub mod fonts;
pub mod forms;
pub mod init;
pub mod new_year;
pub mod preview;
pub mod schema;
pub mod settings;
pub mod textconv;
pub mod watch;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{FontArgs, FormatArg, ReportArgs};
use crate::cmd::settings::Settings;
use crate::diag::rules::Kind;
use crate::diag::{Severity, Sources, summary};
use crate::pipeline::{FontPreferences, YearResult};
use crate::typeset::Typesetter;
use crate::workspace::{YearDir, resolve_years};

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing wrong (warnings allowed).
    Ok,
    /// Spec or form errors, or outputs not made (exit code 1).
    Failed,
    /// Usage problems, or files that could not be read or written (exit code 2).
    Trouble,
}

impl Status {
    /// The process exit code.
    pub fn code(self) -> i32 {
        match self {
            Status::Ok => 0,
            Status::Failed => 1,
            Status::Trouble => 2,
        }
    }
}

/// Which stream a piece of output goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output: results and summaries.
    Out,
    /// Standard error: problems.
    Err,
}

/// What a command has to say, in order, and how it ended.
#[derive(Debug)]
pub struct Done {
    /// Pieces of text in the order they are to be printed.
    pub output: Vec<(Stream, String)>,
    /// How it ended.
    pub status: Status,
}

impl Done {
    /// Nothing said yet; ended well so far.
    pub fn new() -> Done {
        Done { output: Vec::new(), status: Status::Ok }
    }

    /// A line for standard output.
    pub fn out(&mut self, line: impl Into<String>) {
        self.output.push((Stream::Out, format!("{}\n", line.into())));
    }

    /// Text for standard error, as it is.
    pub fn err(&mut self, text: impl Into<String>) {
        self.output.push((Stream::Err, text.into()));
    }

    /// Prints everything, each piece to its stream.
    pub fn print(&self) {
        let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
        for (stream, text) in &self.output {
            let _ = match stream {
                Stream::Out => out.write_all(text.as_bytes()).and_then(|()| out.flush()),
                Stream::Err => err.write_all(text.as_bytes()).and_then(|()| err.flush()),
            };
        }
    }
}

impl Default for Done {
    fn default() -> Self {
        Done::new()
    }
}

/// Why a command stopped before any work, in Chinese (exit code 2).
#[derive(Debug)]
pub struct Stopped(pub String);

impl From<String> for Stopped {
    fn from(message: String) -> Self {
        Stopped(message)
    }
}

/// What a command that reads specs and typesets needs: its settings, the year folders,
/// the fonts (loaded once) and the fonts each role prefers.
pub struct Setup {
    /// `jixiao.toml` with the command line over it.
    pub settings: Settings,
    /// The year folders and their output folders.
    pub years: Vec<YearDir>,
    /// The typesetter with the fonts.
    pub typesetter: Typesetter,
    /// The preferred fonts by role, resolved.
    pub prefs: FontPreferences,
}

/// How long the process that sets up will run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// One command: fonts are memory-mapped (fastest).
    OneShot,
    /// Hours (`serve`, `watch`): fonts are read into memory, so a font file rewritten
    /// meanwhile cannot end the process.
    LongRunning,
}

/// Reads the settings, finds the year folders and loads the fonts; a font a role asks for
/// that no font folder has is reported once in `done`. `out` is `Some` for a command that
/// writes outputs (with the `--out` folder when given, which overrides `jixiao.toml`).
pub fn setup(
    root: &Path,
    paths: &[PathBuf],
    fonts: &FontArgs,
    out: Option<Option<&Path>>,
    lifetime: Lifetime,
    done: &mut Done,
) -> Result<Setup, Stopped> {
    let mut settings = Settings::load(root, fonts)?;
    settings.fonts.copied = lifetime == Lifetime::LongRunning;
    // A malformed date is an error, not a silently undated PDF (as reproducible-builds.org
    // asks of every tool that reads it).
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH")
        && !epoch.trim().is_empty()
        && epoch.trim().parse::<i64>().is_err()
    {
        return Err(Stopped(format!(
            "环境变量 SOURCE_DATE_EPOCH 的值“{epoch}”不是整数秒数（应是从 1970-01-01 起的秒数，如 1704067200）；请改正或删去这个变量"
        )));
    }
    if let Some(Some(out)) = out {
        if out.exists() && !out.is_dir() {
            return Err(Stopped(format!("输出目录 {} 是一个文件，不是目录。请用 --out 指定一个目录。", out.display())));
        }
        if let Some(conflict) = crate::workspace::output_conflict(root, out) {
            return Err(Stopped(format!("--out 的目录不能用：{conflict}。请指定一个单独的输出目录")));
        }
        settings.workspace.out = out.to_path_buf();
    }
    let out_given = out.map(|o| o.is_some());
    let years = resolve_years(&settings.workspace, paths, out_given.is_some(), out_given == Some(true))?;
    let typesetter = settings.typesetter()?;
    let (prefs, warnings) = settings.preferences(typesetter.fonts());
    for warning in warnings {
        done.err(format!("{warning}\n"));
    }
    Ok(Setup { settings, years, typesetter, prefs })
}

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
    let all: Vec<_> = results.iter().flat_map(|r| r.diagnostics.iter().cloned()).collect();
    summary(&all)
}
