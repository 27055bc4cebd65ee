//! `jixiao check`: validate specs and report every problem; write nothing.

use crate::build::{Workspace, YearResult, prepare};
use crate::cli::CheckArgs;
use crate::cmd::{EXIT_USAGE, exit_code, print_diagnostics, problem_summary, resolve_years, typesetter};

/// Runs `check` and returns the exit code.
pub fn check(root: &std::path::Path, args: &CheckArgs) -> i32 {
    let workspace = Workspace::at(root);
    let prepared = resolve_years(&workspace, &args.paths).and_then(|years| Ok((years, typesetter(root, &args.fonts)?)));
    let (years, typesetter) = match prepared {
        Ok(ok) => ok,
        Err(e) => {
            eprintln!("错误：{}", e.0);
            return EXIT_USAGE;
        }
    };
    let mut results = Vec::new();
    for dir in years {
        let prepared = prepare(&workspace, &dir, &typesetter);
        let result = YearResult { dir, diagnostics: prepared.checked.diagnostics, outcomes: Vec::new() };
        print_diagnostics(&prepared.sources, &result, &args.report);
        results.push(result);
    }
    println!("检查完毕：{}", problem_summary(&results));
    exit_code(&results, args.report.deny_warnings)
}
