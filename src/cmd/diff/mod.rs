//! `jixiao diff`: what changed between two versions of the specs (two git revisions, a
//! revision and the working tree, two years, two folders), as a budget officer reads it:
//! projects, indicators, amounts with their deltas, changed spans of texts. Exit code 0
//! when nothing changed, 1 when something did, 2 when a side could not be read or
//! validated.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::{ColorArg, DiffArgs, DiffFormat};
use crate::diag::{Diagnostic, Format};
use crate::pipeline::period::periods_from;
use crate::pipeline::{Prepared, prepare_from};
use crate::review::actuals::{PeriodSide, compare_periods};
use crate::review::show::{Style, render};
use crate::review::{Diff, Options, YearSide, compare_year};
use crate::session::{Done, Status, Stopped, Stream};
use crate::spec::cache::ParseCache;
use crate::spec::git::GitRevision;
use crate::spec::source::{Disk, SpecSource};
use crate::spec::year::{DEPARTMENT_FILE, find_years_from};
use crate::workspace::Workspace;

mod pdf;

/// What the working tree is called in the output.
const WORKING_TREE: &str = "工作区";

/// One side of the comparison: where its files come from and what it is called.
struct Side {
    label: String,
    source: Box<dyn SpecSource>,
}

/// The year folders compared: (old, new); one of them is `None` for a year on one side
/// only.
type Pairs = Vec<(Option<PathBuf>, Option<PathBuf>)>;

/// Runs `diff`.
pub fn diff(root: &Path, args: &DiffArgs) -> Result<Done, Stopped> {
    let workspace = crate::session::settings::Settings::load(root, &args.fonts)?.workspace;
    let (old, new, pairs) = sides(&workspace, root, args)?;
    // Every year folder of either side, in pair order.
    let jobs: Vec<(&Side, &PathBuf)> = pairs
        .iter()
        .flat_map(|(a, b)| [a.as_ref().map(|a| (&old, a)), b.as_ref().map(|b| (&new, b))])
        .flatten()
        .collect();
    // Every year of the old side first, then the new side's: a file that is the same on
    // both sides is then parsed once (read in parallel, the two sides would race for it).
    let cache = ParseCache::default();
    let prepare = |side: &Side| -> Vec<(usize, Prepared)> {
        jobs.par_iter()
            .enumerate()
            .filter(|(_, (s, _))| std::ptr::eq(*s, side))
            .map(|(k, (s, dir))| (k, prepare_from(s.source.as_ref(), &workspace, dir, None, Some(&cache))))
            .collect()
    };
    // The new side's files are fetched while the old side's are parsed.
    let mut numbered = std::thread::scope(|scope| {
        scope.spawn(|| new.source.warm());
        prepare(&old)
    });
    numbered.extend(prepare(&new));
    numbered.sort_by_key(|(k, _)| *k);
    let prepared: Vec<Prepared> = numbered.into_iter().map(|(_, p)| p).collect();
    let mut done = Done::new();
    if let Some(trouble) = refuse_invalid(&jobs, &prepared) {
        done.err(trouble);
        done.status = Status::Trouble;
        return Ok(done);
    }
    // Back into pairs: (old, new) per pair of year folders.
    let mut prepared = prepared.into_iter();
    let sides: Vec<(Option<Prepared>, Option<Prepared>)> = pairs
        .iter()
        .map(|(a, b)| (a.as_ref().and_then(|_| prepared.next()), b.as_ref().and_then(|_| prepared.next())))
        .collect();
    let options = Options { find_renames: args.find_renames };
    // Each pair of years (and their periods, read and scored here) on every core.
    let compared = sides
        .par_iter()
        .map(|(a, b)| {
            let mut year = compare_year(a.as_ref().map(side_of).as_ref(), b.as_ref().map(side_of).as_ref(), &options);
            // The periods of each side, read from the same source as its targets.
            let periods = |side: &Side, year: &Option<Prepared>| {
                year.as_ref()
                    .map(|y| periods_from(side.source.as_ref(), &workspace, y, Some(&cache)))
                    .unwrap_or_default()
            };
            let (old_periods, new_periods) = (periods(&old, a), periods(&new, b));
            year.periods = compare_periods(&period_sides(&old_periods), &period_sides(&new_periods), &year.money_unit);
            year
        })
        .collect();
    let diff = Diff::new(old.label.clone(), new.label.clone(), compared);
    let text = match args.format {
        DiffFormat::Json => {
            let mut json = serde_json::to_string_pretty(&diff).map_err(|e| Stopped(e.to_string()))?;
            json.push('\n');
            json
        }
        DiffFormat::Md => render(&diff, Style::Markdown),
        DiffFormat::Text => {
            let colour = match args.color {
                ColorArg::Always => true,
                ColorArg::Never => false,
                ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            render(&diff, if colour { Style::Color } else { Style::Plain })
        }
    };
    done.output.push((Stream::Out, text));
    if let Some(file) = &args.pdf {
        let new_sides: Vec<Option<Prepared>> = sides.into_iter().map(|(_, b)| b).collect();
        pdf::write(root, &workspace, args, &diff, new_sides, file, &mut done)?;
    }
    if done.status == Status::Ok {
        done.status = if diff.changed { Status::Failed } else { Status::Ok };
    }
    Ok(done)
}

/// The periods prepared for a side, as the review reads them.
fn period_sides(periods: &[Prepared]) -> Vec<PeriodSide<'_>> {
    periods
        .iter()
        .filter_map(|p| {
            let period = p.period.as_ref()?;
            Some(PeriodSide {
                files: &period.files,
                checked: &period.checked,
                targets: &p.files,
                form: p.form.as_ref(),
            })
        })
        .collect()
}

fn side_of(prepared: &Prepared) -> YearSide<'_> {
    YearSide {
        files: &prepared.files,
        form: prepared.form.as_ref().unwrap_or_else(|| unreachable!("refused above without a form")),
        checked: &prepared.checked,
    }
}

/// The errors of any side, rendered; `None` when both sides are valid.
fn refuse_invalid(jobs: &[(&Side, &PathBuf)], prepared: &[Prepared]) -> Option<String> {
    let mut text = String::new();
    for ((side, _), year) in jobs.iter().zip(prepared) {
        let errors: Vec<Diagnostic> = year.checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
        if errors.is_empty() && year.form.is_some() {
            continue;
        }
        text.push_str(&format!("{} 的 {} 有错误，无法比较：\n", side.label, year.files.dir.display()));
        text.push_str(&year.sources.render(&errors, Format::Rich));
        text.push('\n');
    }
    (!text.is_empty()).then(|| format!("{text}请先改正以上错误（可用 jixiao check 检查）。\n"))
}

/// The two sides and the year folders to compare.
fn sides(workspace: &Workspace, root: &Path, args: &DiffArgs) -> Result<(Side, Side, Pairs), Stopped> {
    let working = |label: String, folder: &Path| -> Result<Side, Stopped> {
        let disk = Disk::new(folder)
            .map_err(|e| format!("无法读取目录 {}：{}", folder.display(), crate::text::io_reason(&e)))?;
        Ok(Side { label, source: Box::new(disk) })
    };
    let revision = |rev: &str| -> Result<Side, Stopped> {
        let revision = GitRevision::open(root, rev).map_err(|e| Stopped(e.describe()))?;
        Ok(Side { label: rev.to_string(), source: Box::new(revision) })
    };
    if let Some(years) = &args.years {
        let (a, b) = (years[0].to_string(), years[1].to_string());
        let side = working(WORKING_TREE.to_string(), &workspace.specs)?;
        let found = find_years_from(side.source.as_ref(), &workspace.specs).unwrap_or_default();
        let pairs: Pairs = found
            .iter()
            .filter(|dir| dir.file_name().is_some_and(|n| n.to_string_lossy() == a))
            .map(|dir| {
                let partner = dir.with_file_name(&b);
                let partner = side.source.exists(&partner.join(DEPARTMENT_FILE)).then_some(partner);
                (Some(dir.clone()), partner)
            })
            .collect();
        if pairs.is_empty() {
            return Err(Stopped(format!("{} 中没有 {a} 年度的目录", workspace.specs.display())));
        }
        if pairs.iter().all(|(_, b)| b.is_none()) {
            return Err(Stopped(format!(
                "{} 中没有 {b} 年度的目录（可用 jixiao new-year {b} 新建）",
                workspace.specs.display()
            )));
        }
        let old = Side { label: format!("{a} 年度"), source: side.source };
        let new = working(format!("{b} 年度"), &workspace.specs)?;
        return Ok((old, new, pairs));
    }
    if let Some(dirs) = &args.dirs {
        let (a, b) = (&dirs[0], &dirs[1]);
        for dir in [a, b] {
            if !dir.is_dir() {
                return Err(Stopped(format!("找不到目录 {}", dir.display())));
            }
        }
        let (old, new) = (working(a.display().to_string(), a)?, working(b.display().to_string(), b)?);
        let pairs = if a.join(DEPARTMENT_FILE).exists() || b.join(DEPARTMENT_FILE).exists() {
            vec![(Some(a.clone()), Some(b.clone()))]
        } else {
            pair_by_path(&old, a, &new, b)?
        };
        return Ok((old, new, pairs));
    }
    let (old, new) = match args.revs.as_slice() {
        [] => (revision("HEAD")?, working(WORKING_TREE.to_string(), &workspace.specs)?),
        [rev] => (revision(rev)?, working(WORKING_TREE.to_string(), &workspace.specs)?),
        [a, b, ..] => (revision(a)?, revision(b)?),
    };
    let pairs = pair_by_path(&old, &workspace.specs, &new, &workspace.specs)?;
    Ok((old, new, pairs))
}

/// The year folders below `a` and `b`, paired by their path below each.
fn pair_by_path(old: &Side, a: &Path, new: &Side, b: &Path) -> Result<Pairs, Stopped> {
    let years = |side: &Side, base: &Path| -> Vec<PathBuf> {
        find_years_from(side.source.as_ref(), base)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|dir| dir.strip_prefix(base).ok().map(Path::to_path_buf))
            .collect()
    };
    let (old_years, new_years) = (years(old, a), years(new, b));
    if old_years.is_empty() && new_years.is_empty() {
        return Err(Stopped(format!("{} 和 {} 中都没有年度目录（如 2024/）", describe(old, a), describe(new, b))));
    }
    let mut all: Vec<&PathBuf> = old_years.iter().chain(&new_years).collect();
    all.sort();
    all.dedup();
    Ok(all
        .into_iter()
        .map(|rel| (old_years.contains(rel).then(|| a.join(rel)), new_years.contains(rel).then(|| b.join(rel))))
        .collect())
}

fn describe(side: &Side, folder: &Path) -> String {
    format!("{} 的 {}", side.label, folder.display())
}
