//! One module per subcommand; shared set-up (finding years, loading fonts, printing
//! diagnostics and summaries) lives here.

pub mod bench;
pub mod build;
pub mod check;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{FontArgs, ReportArgs};
use crate::diag::rules::Kind;
use crate::diag::{Severity, Sources, summary};
use crate::pipeline::YearResult;
use crate::spec::year::{DEPARTMENT_FILE, find_years, is_year};
use crate::text::io_reason;
use crate::typeset::Typesetter;
use crate::typeset::fonts::{FontOptions, Fonts};
use crate::workspace::Workspace;

/// Exit code: nothing wrong.
pub const EXIT_OK: i32 = 0;
/// Exit code: spec errors or failed outputs.
pub const EXIT_FAILED: i32 = 1;
/// Exit code: usage or I/O problems.
pub const EXIT_USAGE: i32 = 2;

/// A problem that stops a command before any work (usage or I/O).
#[derive(Debug)]
pub struct UsageError(pub String);

/// A year folder to work on and where its PDFs go, relative to `out/`.
pub type YearDir = (PathBuf, PathBuf);

/// The year folders a command works on: those named (a year folder, or a folder to
/// search for them), or every year under `specs/`. Output folders mirror the folders
/// below the one searched; two years that would share an output folder are refused.
///
/// A command that `writes` refuses a year folder outside `specs/` unless the output
/// folder was given (`out_given`): its PDFs would otherwise land in a folder named after
/// it, possibly another project's.
pub fn resolve_years(
    workspace: &Workspace,
    paths: &[PathBuf],
    writes: bool,
    out_given: bool,
) -> Result<Vec<YearDir>, UsageError> {
    let mut years: Vec<YearDir> = Vec::new();
    if paths.is_empty() {
        if !workspace.specs.is_dir() {
            return Err(UsageError(format!(
                "找不到规格目录 {}。请在 jixiao 项目目录中运行，或用 --root 指定项目目录。",
                workspace.specs.display()
            )));
        }
        years = below(&workspace.specs)?;
    }
    for path in paths {
        if !path.is_dir() {
            return Err(UsageError(format!("找不到目录 {}", path.display())));
        }
        if writes && !within(path, &workspace.specs) && !out_given {
            return Err(UsageError(format!(
                "{} 不在项目的 specs/ 目录中，生成的 PDF 不知道该放到哪里。请用 --out 指定输出目录，或用 -C 指定它所在的项目目录。",
                path.display()
            )));
        }
        if path.join(DEPARTMENT_FILE).is_file() || path.file_name().and_then(|n| n.to_str()).is_some_and(is_year) {
            years.push((path.clone(), workspace.default_out_rel(path)));
        } else {
            years.extend(below(path)?);
        }
    }
    for (i, (dir, out)) in years.iter().enumerate() {
        if let Some((other, _)) = years[..i].iter().find(|(_, o)| o == out) {
            return Err(UsageError(format!(
                "{} 和 {} 会输出到同一个目录 {}。请把各部门放在 specs/<部门编码>/<年度>/ 下，或分别运行并用 --out 指定输出目录。",
                other.display(),
                dir.display(),
                workspace.out.join(out).display()
            )));
        }
    }
    Ok(years)
}

/// Whether `path` lies inside `folder` (by real paths).
pub fn within(path: &Path, folder: &Path) -> bool {
    match (path.canonicalize(), folder.canonicalize()) {
        (Ok(path), Ok(folder)) => path.starts_with(folder),
        _ => false,
    }
}

/// The year folders below `base`, each with its path relative to `base` as output folder.
fn below(base: &Path) -> Result<Vec<YearDir>, UsageError> {
    let years = find_years(base).map_err(|e| UsageError(format!("无法读取 {}：{}", base.display(), io_reason(&e))))?;
    if years.is_empty() {
        return Err(UsageError(format!("{} 中没有年度目录（如 2024/）", base.display())));
    }
    Ok(years
        .into_iter()
        .map(|dir| {
            let out = dir.strip_prefix(base).map(Path::to_path_buf).unwrap_or_else(|_| dir.clone());
            (dir, out)
        })
        .collect())
}

/// Finds the year folders and loads the fonts; on failure, says why in Chinese and
/// gives the exit code. `out_given` is `Some` for a command that writes outputs (true
/// when `--out` was given).
pub fn setup(
    workspace: &Workspace,
    root: &Path,
    paths: &[PathBuf],
    fonts: &FontArgs,
    out_given: Option<bool>,
) -> Result<(Vec<YearDir>, Typesetter), i32> {
    resolve_years(workspace, paths, out_given.is_some(), out_given == Some(true))
        .and_then(|years| Ok((years, typesetter(root, fonts)?)))
        .map_err(|e| {
            eprintln!("错误：{}", e.0);
            EXIT_USAGE
        })
}

/// Loads the fonts once for the whole command.
pub fn typesetter(root: &Path, args: &FontArgs) -> Result<Typesetter, UsageError> {
    let project_dir = root.join("fonts");
    if !project_dir.is_dir() {
        return Err(UsageError(format!("找不到字体目录 {}", project_dir.display())));
    }
    for dir in &args.font_paths {
        if !dir.is_dir() {
            return Err(UsageError(format!("找不到字体目录 {}", dir.display())));
        }
    }
    let options = FontOptions { project_dir, extra_dirs: args.font_paths.clone(), system: args.system_fonts };
    Ok(Typesetter::new(Fonts::load(&options)))
}

/// Prints a year's diagnostics to stderr (warnings only when not quiet).
pub fn print_diagnostics(sources: &Sources, result: &YearResult, report: &ReportArgs) {
    let shown: Vec<_> =
        result.diagnostics.iter().filter(|d| !report.quiet || d.severity == Severity::Error).cloned().collect();
    let text = sources.render(&shown, report.format.into());
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    if report.format == crate::cli::FormatArg::Rich && !shown.is_empty() {
        let _ = writeln!(err);
    }
}

/// The exit code for a set of results: 2 when a file could not be read or written, 1 for
/// any other error (or, with `deny_warnings`, a warning) or an output not made, else 0.
pub fn exit_code(results: &[YearResult], deny_warnings: bool) -> i32 {
    let io = results.iter().flat_map(|r| &r.diagnostics).any(|d| d.is_error() && d.rule.kind == Kind::Io);
    if io {
        return EXIT_USAGE;
    }
    let errors = results.iter().flat_map(|r| &r.diagnostics).any(|d| d.is_error());
    let warnings = results.iter().flat_map(|r| &r.diagnostics).any(|d| !d.is_error());
    let incomplete = results.iter().any(|r| r.failed() + r.skipped() > 0);
    if errors || incomplete || (deny_warnings && warnings) { EXIT_FAILED } else { EXIT_OK }
}

/// The one-line count of problems over all results.
pub fn problem_summary(results: &[YearResult]) -> String {
    let all: Vec<_> = results.iter().flat_map(|r| r.diagnostics.iter().cloned()).collect();
    summary(&all)
}
