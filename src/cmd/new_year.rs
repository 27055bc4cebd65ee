//! `jixiao new-year YEAR`: next year's specs from this year's. Every year folder of the
//! source year (`specs/2024`, `specs/<department>/2024`) is copied beside it as the new
//! year, with the budget year moved on in place (see [`crate::spec::roll_over`]); every
//! replacement, every year left alone and every amount still to review is listed.
//! Nothing is overwritten: an existing target year stops the command before it writes.

use std::fs;
use std::path::{Path, PathBuf};

use crate::cli::NewYearArgs;
use crate::cmd::schema::set_year_modelines;
use crate::files::read_bytes;
use crate::model::actuals::ACTUALS_DIR;
use crate::pipeline::prepare_from;
use crate::session::{Done, Stopped};
use crate::spec::roll_over::{Rolled, roll};
use crate::spec::source::Disk;
use crate::spec::year::{DEPARTMENT_FILE, PROJECTS_DIR, YearFiles, find_years};
use crate::text::io_reason;
use crate::yaml::{MAX_SPEC_BYTES, span_of};

/// Runs `new-year`.
pub fn new_year(root: &Path, args: &NewYearArgs) -> Result<Done, Stopped> {
    let workspace = crate::session::settings::Settings::load(root, &crate::cli::FontArgs::default())?.workspace;
    let years = find_years(&workspace.specs)
        .map_err(|e| Stopped(format!("无法读取 {}：{}", workspace.specs.display(), io_reason(&e))))?;
    let year_of = |dir: &PathBuf| dir.file_name().and_then(|n| n.to_str()).and_then(|n| n.parse::<u32>().ok());
    let from = match args.from {
        Some(from) => from,
        None => years.iter().filter_map(year_of).filter(|y| *y < args.year).max().ok_or_else(|| {
            Stopped(format!(
                "{} 中没有早于 {} 的年度目录，请用 --from 指定从哪一年复制",
                workspace.specs.display(),
                args.year
            ))
        })?,
    };
    let sources: Vec<&PathBuf> = years.iter().filter(|dir| year_of(dir) == Some(from)).collect();
    if sources.is_empty() {
        return Err(Stopped(format!("{} 中没有 {from} 年度目录", workspace.specs.display())));
    }
    let targets: Vec<PathBuf> = sources.iter().map(|dir| dir.with_file_name(args.year.to_string())).collect();
    // Anything at the name counts, a link whose target is gone too.
    if let Some(existing) = targets.iter().find(|t| fs::symlink_metadata(t).is_ok()) {
        return Err(Stopped(format!("{} 已经存在；new-year 不会覆盖已有的年度", existing.display())));
    }
    let mut done = Done::new();
    for (source, target) in sources.iter().zip(&targets) {
        let disk =
            Disk::new(source).map_err(|e| Stopped(format!("无法读取 {}：{}", source.display(), io_reason(&e))))?;
        let files = prepare_from(&disk, &workspace, source, None, None).files;
        write_year(&files, target, from, args.year, &mut done).map_err(|e| {
            Stopped(format!("无法写入 {}：{}（已删除写了一半的目录）", target.display(), io_reason(&e)))
        })?;
        // The first line pointing editors at the schemas, right for the new folder.
        for (path, written) in set_year_modelines(root, target, None, &workspace.default_form) {
            written.map_err(|e| Stopped(format!("无法写入 {}：{}", path.display(), io_reason(&e))))?;
        }
        // A year's actual figures are its own: the new year starts without them.
        if source.join(ACTUALS_DIR).is_dir() {
            done.out(format!(
                "{} 中的实际数据（{ACTUALS_DIR}/，监控和自评）属于 {from} 年度，没有复制；新年度需要时用 jixiao init 按目标新建",
                source.display()
            ));
        }
    }
    done.out("完成。请运行 jixiao check 检查新年度，并核对上面列出的金额和资金支出计划。");
    Ok(done)
}

/// Writes one new year folder; on failure removes what it wrote.
fn write_year(files: &YearFiles, target: &Path, from: u32, to: u32, done: &mut Done) -> std::io::Result<()> {
    let result = try_write_year(files, target, from, to, done);
    if result.is_err() {
        let _ = fs::remove_dir_all(target);
    }
    result
}

fn try_write_year(files: &YearFiles, target: &Path, from: u32, to: u32, done: &mut Done) -> std::io::Result<()> {
    fs::create_dir_all(target.join(PROJECTS_DIR))?;
    done.out(format!("新建 {}（由 {} 复制）", target.display(), files.dir.display()));
    if let Some(department) = &files.department {
        let year = span_of(&department.text, &department.spec.year);
        let rolled = roll(&department.text, &department.spec.texts(), from, to, &[year]);
        write(&target.join(DEPARTMENT_FILE), &rolled, done)?;
    }
    for project in &files.projects {
        let name = project.path.file_name().unwrap_or_default();
        let path = target.join(PROJECTS_DIR).join(name);
        let rolled = roll(&project.text, &project.spec.texts(), from, to, &[]);
        write(&path, &rolled, done)?;
        let plan: Vec<String> = project
            .spec
            .spending_plan
            .iter()
            .flat_map(|plan| &plan.value.entries)
            .map(|(k, v)| format!("{} 月 {}%", k.value.as_str(), v.value.trim_end_matches('%')))
            .collect();
        let costs: Vec<String> = project
            .spec
            .indicators
            .iter()
            .filter(|i| i.level2.value.contains("成本"))
            .map(|i| format!("{} {}", i.name.value.as_str(), i.value.value.as_str()))
            .collect();
        done.out(format!("  待核对 {}：资金支出计划 {}；成本 {}", path.display(), plan.join("、"), costs.join("、")));
    }
    // Files that could not be parsed are copied as they are, for a person to fix; what is
    // not a regular file of the year folder (a link out of it, a pipe) is not copied.
    let tree = files.dir.canonicalize()?;
    for broken in &files.broken_projects {
        let name = broken.file_name().unwrap_or_default();
        let is_link = fs::symlink_metadata(broken).is_ok_and(|m| m.file_type().is_symlink());
        match read_bytes(broken, &tree, MAX_SPEC_BYTES) {
            Ok(bytes) if !is_link => {
                fs::write(target.join(PROJECTS_DIR).join(name), bytes)?;
                done.out(format!("  原样复制（无法读取，请检查）：{}", broken.display()));
            }
            Ok(_) => done.out(format!("  未复制（是符号链接，请复制它指向的文件）：{}", broken.display())),
            Err(e) => done.out(format!("  未复制（{}）：{}", e.reason(), broken.display())),
        }
    }
    Ok(())
}

/// Writes a rolled file and lists its replacements and the years left alone.
fn write(path: &Path, rolled: &Rolled, done: &mut Done) -> std::io::Result<()> {
    fs::write(path, &rolled.text)?;
    for found in &rolled.replaced {
        done.out(format!("  {}:{}：{} → {}", path.display(), found.line, found.before, found.after));
    }
    for found in &rolled.left {
        done.out(format!("  {}:{}：保留“{}”（不是预算年度的写法，请确认）", path.display(), found.line, found.before));
    }
    Ok(())
}
