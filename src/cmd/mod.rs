//! One module per subcommand. A command does not print or exit: it returns what it has
//! to say, in order, and how it ended ([`Done`]), or why it stopped before any work
//! ([`Stopped`]); the binary prints and owns the exit codes.

pub mod bench;
pub mod build;
pub mod check;
pub mod diff;
pub mod forms;
pub mod init;
pub mod new_year;
pub mod textconv;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{FontArgs, FormatArg, ReportArgs};
use crate::diag::rules::Kind;
use crate::diag::{Severity, Sources, summary};
use crate::pipeline::YearResult;
use crate::typeset::Typesetter;
use crate::typeset::fonts::{FontOptions, Fonts};
use crate::workspace::{Workspace, YearDir, resolve_years, under};

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

/// Finds the year folders and loads the fonts. `out_given` is `Some` for a command that
/// writes outputs (true when `--out` was given).
pub fn setup(
    workspace: &Workspace,
    root: &Path,
    paths: &[PathBuf],
    fonts: &FontArgs,
    out_given: Option<bool>,
) -> Result<(Vec<YearDir>, Typesetter), Stopped> {
    let years = resolve_years(workspace, paths, out_given.is_some(), out_given == Some(true))?;
    Ok((years, typesetter(root, fonts)?))
}

/// Loads the fonts once for the whole command.
pub fn typesetter(root: &Path, args: &FontArgs) -> Result<Typesetter, Stopped> {
    let project_dir = under(root, "fonts");
    if !project_dir.is_dir() {
        return Err(Stopped(format!("找不到字体目录 {}", project_dir.display())));
    }
    for dir in &args.font_paths {
        if !dir.is_dir() {
            return Err(Stopped(format!("找不到字体目录 {}", dir.display())));
        }
    }
    let options = FontOptions { project_dir, extra_dirs: args.font_paths.clone(), system: args.system_fonts };
    let fonts = Fonts::load(&options);
    if fonts.family_names().is_empty() {
        return Err(Stopped(format!(
            "字体目录 {} 中没有可用的字体文件（.otf、.ttf、.ttc）。请从 git 仓库恢复 fonts/ 目录",
            options.project_dir.display()
        )));
    }
    Ok(Typesetter::new(fonts))
}

/// A year's diagnostics as text (warnings only when not quiet).
pub fn diagnostics_text(sources: &Sources, result: &YearResult, report: &ReportArgs) -> String {
    let shown: Vec<_> =
        result.diagnostics.iter().filter(|d| !report.quiet || d.severity == Severity::Error).cloned().collect();
    let mut text = sources.render(&shown, report.format.into());
    if report.format == FormatArg::Rich && !shown.is_empty() {
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
