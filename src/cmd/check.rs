//! `jixiao check`: validate specs and report every problem; write nothing. With `--rev`,
//! the specs of a git revision are checked instead of the working tree.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::CheckArgs;
use crate::cmd::{diagnostics_text, problem_summary, status};
use crate::pipeline::period::{absorb, periods, periods_from};
use crate::pipeline::rendered::template_problems;
use crate::pipeline::{FontPreferences, Prepared, YearResult, prepare, prepare_from};
use crate::session::settings::Settings;
use crate::session::{Done, Lifetime, Setup, Stopped, setup};
use crate::spec::git::GitRevision;
use crate::spec::source::SpecSource;
use crate::spec::year::{DEPARTMENT_FILE, find_years_from, is_year};

/// Runs `check`.
pub fn check(root: &Path, args: &CheckArgs) -> Result<Done, Stopped> {
    let mut done = Done::new();
    let prepared: Vec<Prepared> = match &args.rev {
        None => {
            let Setup { settings, years, typesetter, prefs } =
                setup(root, &args.paths, &args.fonts, None, Lifetime::OneShot, &mut done)?;
            years
                .par_iter()
                .map(|(dir, _)| {
                    let mut prepared = prepare(&settings.workspace, dir, &typesetter);
                    prepared.check_standard(settings.pdf_standard, &typesetter);
                    let mut year = with_templates(prepared, &prefs);
                    for period in periods(&settings.workspace, &year) {
                        absorb(&mut year, with_templates(period, &prefs));
                    }
                    year
                })
                .collect()
        }
        Some(rev) => {
            done.out(format!("检查版本 {rev} 的规格"));
            check_revision(root, rev, args)?
        }
    };
    let mut results = Vec::new();
    for prepared in prepared {
        let result = YearResult {
            dir: prepared.files.dir.clone(),
            diagnostics: prepared.checked.diagnostics,
            outcomes: Vec::new(),
        };
        done.err(diagnostics_text(&prepared.sources, &result, &args.report));
        results.push(result);
    }
    done.out(format!("检查完毕：{}", problem_summary(&results)));
    done.status = status(&results, args.report.deny_warnings);
    Ok(done)
}

/// A prepared year with the problems its templates would give at `build`.
fn with_templates(mut prepared: Prepared, prefs: &FontPreferences) -> Prepared {
    let found = template_problems(&prepared, prefs);
    prepared.checked.diagnostics.extend(found);
    prepared
}

/// The years of revision `rev` read and validated (forms and fonts from the working tree).
fn check_revision(root: &Path, rev: &str, args: &CheckArgs) -> Result<Vec<Prepared>, Stopped> {
    let revision = GitRevision::open(root, rev).map_err(|e| Stopped(e.describe()))?;
    let settings = Settings::load(root, &args.fonts)?;
    let workspace = &settings.workspace;
    let typesetter = settings.typesetter()?;
    let mut years: Vec<PathBuf> = Vec::new();
    let search = if args.paths.is_empty() { vec![workspace.specs.clone()] } else { args.paths.clone() };
    for path in &search {
        let named_year = path.file_name().and_then(|n| n.to_str()).is_some_and(is_year);
        if named_year || revision.exists(&path.join(DEPARTMENT_FILE)) {
            years.push(path.clone());
        } else {
            let found =
                find_years_from(&revision, path).map_err(|_| format!("版本 {rev} 中没有目录 {}", path.display()))?;
            if found.is_empty() {
                return Err(Stopped(format!("版本 {rev} 的 {} 中没有年度目录（如 2024/）", path.display())));
            }
            years.extend(found);
        }
    }
    let year = |dir: &PathBuf| {
        let mut year = prepare_from(&revision, workspace, dir, Some(typesetter.fonts()), None);
        for period in periods_from(&revision, workspace, &year, None) {
            absorb(&mut year, period);
        }
        year
    };
    Ok(years.iter().map(year).collect())
}
