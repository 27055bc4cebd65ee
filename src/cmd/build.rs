//! `jixiao build`: validate, then typeset every valid project and the combined report.

use crate::build::{FontPreferences, Outcome, Workspace, build_year, prepare};
use crate::cli::BuildArgs;
use crate::cmd::{EXIT_USAGE, exit_code, print_diagnostics, problem_summary, resolve_years, typesetter};
use crate::diag::Sources;

/// Runs `build` and returns the exit code.
pub fn build(root: &std::path::Path, args: &BuildArgs) -> i32 {
    let mut workspace = Workspace::at(root);
    if let Some(out) = &args.out {
        workspace.out = out.clone();
    }
    let prepared = resolve_years(&workspace, &args.paths).and_then(|years| Ok((years, typesetter(root, &args.fonts)?)));
    let (years, typesetter) = match prepared {
        Ok(ok) => ok,
        Err(e) => {
            eprintln!("错误：{}", e.0);
            return EXIT_USAGE;
        }
    };
    let prefs = FontPreferences { body: args.fonts.body_font.clone(), label: args.fonts.label_font.clone() };
    let mut results = Vec::new();
    for dir in years {
        let mut sources = Sources::default();
        let prepared = prepare(&workspace, &dir, &typesetter, &mut sources);
        let result = build_year(&prepared, &workspace, &typesetter, &prefs);
        print_diagnostics(&sources, &result, &args.report);
        if !args.report.quiet {
            for outcome in &result.outcomes {
                match outcome {
                    Outcome::Built { path, pages } => println!("已生成 {}（{pages} 页）", path.display()),
                    Outcome::Skipped { what } if what == "report" => {
                        println!("未生成合订本：有项目未通过检查或生成失败")
                    }
                    Outcome::Skipped { what } => println!("未生成 {what}：规格有错误，保留原有 PDF"),
                    Outcome::Failed { what } => println!("生成失败 {what}"),
                }
            }
        }
        println!(
            "{}：生成 {} 个，失败 {} 个，跳过 {} 个",
            result.dir.display(),
            result.built(),
            result.failed(),
            result.skipped()
        );
        results.push(result);
    }
    println!("完成：{}", problem_summary(&results));
    exit_code(&results, args.report.deny_warnings)
}
