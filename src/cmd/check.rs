//! `jixiao check`: validate specs and report every problem; write nothing. With `--rev`,
//! the specs of a git revision are checked instead of the working tree.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::CheckArgs;
use crate::cmd::{EXIT_USAGE, exit_code, print_diagnostics, problem_summary, setup, typesetter};
use crate::pipeline::{Prepared, YearResult, prepare, prepare_from};
use crate::spec::source::{GitRevision, SpecSource};
use crate::spec::year::{DEPARTMENT_FILE, find_years_from, is_year};
use crate::workspace::Workspace;

/// Runs `check` and returns the exit code.
pub fn check(root: &Path, args: &CheckArgs) -> i32 {
    let workspace = Workspace::at(root);
    let prepared: Vec<Prepared> = match &args.rev {
        None => {
            let (years, typesetter) = match setup(&workspace, root, &args.paths, &args.fonts, None) {
                Ok(ok) => ok,
                Err(code) => return code,
            };
            years.par_iter().map(|(dir, _)| prepare(&workspace, dir, &typesetter)).collect()
        }
        Some(rev) => match check_revision(&workspace, root, rev, args) {
            Ok(prepared) => prepared,
            Err(message) => {
                eprintln!("错误：{message}");
                return EXIT_USAGE;
            }
        },
    };
    let mut results = Vec::new();
    for prepared in prepared {
        let result = YearResult {
            dir: prepared.files.dir.clone(),
            diagnostics: prepared.checked.diagnostics,
            outcomes: Vec::new(),
        };
        print_diagnostics(&prepared.sources, &result, &args.report);
        results.push(result);
    }
    println!("检查完毕：{}", problem_summary(&results));
    exit_code(&results, args.report.deny_warnings)
}

/// The years of revision `rev` read and validated (forms and fonts from the working tree).
fn check_revision(workspace: &Workspace, root: &Path, rev: &str, args: &CheckArgs) -> Result<Vec<Prepared>, String> {
    let revision = GitRevision::open(root, rev).map_err(|e| e.describe())?;
    let typesetter = typesetter(root, &args.fonts).map_err(|e| e.0)?;
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
                return Err(format!("版本 {rev} 的 {} 中没有年度目录（如 2024/）", path.display()));
            }
            years.extend(found);
        }
    }
    println!("检查版本 {} 的规格", revision.name());
    Ok(years.iter().map(|dir| prepare_from(&revision, workspace, dir, Some(typesetter.fonts()))).collect())
}
