//! `jixiao diff --pdf FILE`: the new version's combined report with every change marked
//! (the form's templates decide how: see [`crate::review::marks`]), preceded by the list
//! of changes, for reviewers who never open a terminal. Typeset in memory: nothing under
//! `out/` is read or written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::DiffArgs;
use crate::diag::Format;
use crate::incremental::write::{read_output, replaceable, write_atomic};
use crate::pipeline::{BuildOptions, Document, MemorySink, Outcome, Prepared, Sink, build_years};
use crate::review::Diff;
use crate::review::marking::YearMarks;
use crate::session::settings::Settings;
use crate::session::{Done, Status, Stopped};
use crate::text::io_reason;
use crate::workspace::{Workspace, output_conflict};

/// Typesets the change-marked report of every changed year of the new side and writes
/// it to `file` (with several changed years, one file each, named after the year folder).
pub fn write(
    root: &Path,
    workspace: &Workspace,
    args: &DiffArgs,
    diff: &Diff,
    new_sides: Vec<Option<Prepared>>,
    file: &Path,
    done: &mut Done,
) -> Result<(), Stopped> {
    let mut years: Vec<Prepared> = Vec::new();
    let mut marks = BTreeMap::new();
    for (prepared, year) in new_sides.into_iter().zip(&diff.years) {
        if let Some(prepared) = prepared.filter(|_| year.changed()) {
            marks.insert(prepared.files.dir.clone(), Arc::new(YearMarks::new(diff, year)));
            years.push(prepared);
        }
    }
    if years.is_empty() {
        done.out("新的一边没有变化的年度，未生成 PDF。");
        return Ok(());
    }
    target_ok(root, file).map_err(Stopped)?;
    let settings = Settings::load(root, &args.fonts)?;
    let typesetter = settings.typesetter()?;
    let (prefs, warnings) = settings.preferences(typesetter.fonts());
    for warning in warnings {
        done.err(format!("{warning}\n"));
    }
    let memory = MemorySink::default();
    let options = BuildOptions {
        prefs,
        force: true,
        environment: "diff".into(),
        sink: Sink::Memory(memory.clone()),
        marks,
        ..BuildOptions::default()
    };
    let results = build_years(&years, workspace, &typesetter, &options, &|_| {});
    let written = memory.files();
    let several = years.len() > 1;
    for (prepared, result) in years.iter().zip(&results) {
        let report = result.outcomes.iter().find_map(|o| match o {
            Outcome::Built { document: Document::Report, path, pages, .. } => Some((path, *pages)),
            _ => None,
        });
        let Some((path, pages)) = report.and_then(|(path, pages)| written.get(path).map(|bytes| (bytes, pages))) else {
            let errors: Vec<_> = result.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
            done.err(prepared.sources.render(&errors, Format::Rich));
            done.err(format!("错误：{} 的标出变化的合订本未能生成（原因见上）\n", prepared.files.dir.display()));
            done.status = Status::Trouble;
            continue;
        };
        let target = if several { numbered(file, &prepared.out_rel) } else { file.to_path_buf() };
        if let Err(message) = target_ok(root, &target) {
            done.err(format!("错误：{message}\n"));
            done.status = Status::Trouble;
            continue;
        }
        if let Err(e) = write_atomic(&target, path) {
            done.err(format!("错误：无法写入 {}：{}\n", target.display(), io_reason(&e)));
            done.status = Status::Trouble;
            continue;
        }
        done.out(format!("已生成标出变化的合订本 {}（{pages} 页，第 1 页起为变化清单）", target.display()));
    }
    Ok(())
}

/// Whether the change-marked report may be written at `target`: not among the project's
/// inputs, and not over a file that is not a PDF (a spec named by mistake).
fn target_ok(root: &Path, target: &Path) -> Result<(), String> {
    let refuse = |why: String| format!("不能把标出变化的合订本写到 {}：{why}；请换一个 .pdf 文件名", target.display());
    if let Some(conflict) = output_conflict(root, target) {
        return Err(refuse(conflict));
    }
    replaceable(target).map_err(|e| refuse(io_reason(&e)))?;
    if let Ok(meta) = std::fs::symlink_metadata(target)
        && meta.len() > 0
        && !read_output(target).is_some_and(|bytes| bytes.starts_with(b"%PDF-"))
    {
        return Err(refuse("这个文件已存在且不是 PDF，不会覆盖它".to_string()));
    }
    Ok(())
}

/// `FILE` for one of several years: `review.pdf` → `review-131003-2024.pdf`.
fn numbered(file: &Path, year: &Path) -> PathBuf {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let tag = year.to_string_lossy().replace(['/', '\\'], "-");
    let extension = file.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    file.with_file_name(format!("{stem}-{tag}{extension}"))
}
