//! `jixiao check`: validate specs and report every problem; write nothing.

use rayon::prelude::*;

use crate::cli::CheckArgs;
use crate::cmd::{exit_code, print_diagnostics, problem_summary, setup};
use crate::pipeline::{Prepared, YearResult, prepare};
use crate::workspace::Workspace;

/// Runs `check` and returns the exit code.
pub fn check(root: &std::path::Path, args: &CheckArgs) -> i32 {
    let workspace = Workspace::at(root);
    let (years, typesetter) = match setup(&workspace, root, &args.paths, &args.fonts, None) {
        Ok(ok) => ok,
        Err(code) => return code,
    };
    let prepared: Vec<Prepared> = years.par_iter().map(|(dir, _)| prepare(&workspace, dir, &typesetter)).collect();
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
