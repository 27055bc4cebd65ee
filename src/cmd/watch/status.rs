//! The one line `watch` prints after each rebuild (and the problems of what it made): what
//! was made, how long it took, how many problems the rebuilt years have.

use std::time::Instant;

use crate::diag::Format;
use crate::pipeline::Outcome;
use crate::pipeline::build::BuiltYear;
use crate::session::Done;

use super::clock;

/// What to print after building `built`: the problems of the tables just made (all of
/// them when many were) and every error, not the year's old warnings again after each
/// save; then the status line. `busy`: a year waits for another jixiao's output folder.
pub(super) fn of(built: &[BuiltYear], busy: bool, started: Instant) -> Done {
    let mut done = Done::new();
    let mut made: Vec<String> = Vec::new();
    let (mut errors, mut warnings, mut failed) = (0, 0, 0);
    for BuiltYear { sources, result, .. } in built {
        let names: Vec<String> = result
            .outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::Built { document, .. } => Some(document.ident().replace("report", "合订本")),
                _ => None,
            })
            .collect();
        let tables = names.iter().filter(|n| *n != "合订本").count();
        let shown: Vec<_> = result
            .diagnostics
            .iter()
            .filter(|d| {
                let stem = d.file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                d.is_error() || tables > 1 || names.iter().any(|n| n == stem)
            })
            .cloned()
            .collect();
        done.err(sources.render(&shown, Format::Short));
        if names.len() > 6 {
            made.push(format!("{}：{} 个文件", result.dir.display(), names.len()));
        } else if !names.is_empty() {
            made.push(format!("{}：{}", result.dir.display(), names.join("、")));
        }
        failed += result.failed() + result.skipped();
        errors += result.diagnostics.iter().filter(|d| d.is_error()).count();
        warnings += result.diagnostics.iter().filter(|d| !d.is_error()).count();
    }
    let what = if made.is_empty() {
        "没有需要重新生成的文件".to_string()
    } else {
        format!("已生成 {}", made.join("；"))
    };
    let mut skipped = if failed > 0 { format!("，{failed} 个未生成") } else { String::new() };
    if busy {
        skipped.push_str("（输出目录正被另一个 jixiao 使用，它结束后自动重新生成）");
    }
    done.out(format!(
        "{} {what}（{:.2} 秒）：{errors} 个错误，{warnings} 个警告{skipped}",
        clock(),
        started.elapsed().as_secs_f64()
    ));
    done
}
