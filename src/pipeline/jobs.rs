//! Plan: a year's documents, where each goes and the key of its inputs; whether a PDF on
//! disk is still fresh is asked of a function. Pure: no file is read or written here, and
//! nothing of Typst is needed (unit-tested below with specs held in memory).

use std::path::{Path, PathBuf};

use super::BuildOptions;
use super::keys::{build_key, form_key};
use super::outcome::Document;
use super::prepare::Prepared;
use crate::diag::{Diagnostic, rules};
use crate::incremental::lock::LockError;
use crate::incremental::manifest::KeyBuilder;
use crate::text::io_reason;
use crate::validate::outputs::OutputNames;

/// One document to produce.
pub(crate) struct Job {
    /// Index into `files.projects`, or `None` for the combined report (always `jobs[0]`).
    pub(crate) project: Option<usize>,
    /// What it is, for messages.
    pub(crate) document: Document,
    /// Where it goes.
    pub(crate) path: PathBuf,
    /// The key of its inputs.
    pub(crate) key: String,
    /// Whether its spec (and, for the report, every spec) is valid.
    pub(crate) valid: bool,
    /// Whether the PDF on disk was made from these inputs and is untouched.
    pub(crate) fresh: bool,
}

/// Project indices in code order.
pub(crate) fn code_order(prepared: &Prepared) -> Vec<usize> {
    let projects = &prepared.files.projects;
    let mut order: Vec<usize> = (0..projects.len()).collect();
    order.sort_by(|a, b| projects[*a].spec.code.value.as_str().cmp(projects[*b].spec.code.value.as_str()));
    order
}

/// The year's documents: the report first, then the projects in `order`, each with its
/// path, the key of its inputs and whether its PDF is still fresh.
pub(crate) fn jobs(
    prepared: &Prepared,
    options: &BuildOptions,
    order: &[usize],
    out_dir: &Path,
    names: &OutputNames,
    year_ok: bool,
    fresh: &dyn Fn(&Path, &str) -> bool,
) -> Vec<Job> {
    let (Some(form), Some(department)) = (&prepared.form, &prepared.files.department) else { return Vec::new() };
    // Everything a document depends on besides its own spec.
    let mut shared =
        form_key(&build_key(options), &form.name, &form.digest).add("department", department.text.as_bytes());
    // A period's documents also print its actual figures (and its date).
    let period = prepared.period.as_ref();
    if let Some(loaded) = period.and_then(|p| p.files.period.as_ref()) {
        shared = shared.add("period", loaded.text.as_bytes());
    }
    let shared = shared.finish();
    let actuals = |index: usize| -> &[u8] {
        let found = period.and_then(|p| p.checked.projects.get(index)?.actuals.map(|a| &p.files.actuals[a]));
        found.map(|a| a.text.as_bytes()).unwrap_or_default()
    };
    let mut jobs: Vec<Job> = Vec::new();
    let mut report_key = KeyBuilder::new(&shared);
    for &index in order {
        let loaded = &prepared.files.projects[index];
        let path = out_dir.join(&names.projects[index]);
        let key = KeyBuilder::new(&shared)
            .add("project", loaded.text.as_bytes())
            .add("actuals", actuals(index))
            .add("path", path.to_string_lossy().as_bytes())
            .finish();
        report_key = report_key.add("project", loaded.text.as_bytes()).add("actuals", actuals(index));
        // A table prints the department's name, unit and year: an invalid department file blocks it too.
        let valid = prepared.checked.department_ok && prepared.checked.projects[index].ok;
        let document = Document::Project(loaded.spec.code.value.clone());
        jobs.push(Job { project: Some(index), document, fresh: fresh(&path, &key), path, key, valid });
    }
    let path = out_dir.join(&names.report);
    let key = report_key.add("path", path.to_string_lossy().as_bytes()).finish();
    let report =
        Job { project: None, document: Document::Report, fresh: fresh(&path, &key), path, key, valid: year_ok };
    jobs.insert(0, report);
    jobs
}

/// E0111: the output folder's manifest names another year folder.
pub(crate) fn foreign_folder(out_dir: &Path, other: &str, source: &str) -> Diagnostic {
    Diagnostic::new(
        &rules::E0111,
        out_dir,
        None,
        format!("输出目录中的 PDF 是由年度目录 {other} 生成的，不是 {source}；为免覆盖或删除它们，本年度不生成"),
    )
    .with_hint("请用 --out 指定另一个输出目录；如确实不再需要原来的 PDF，可先删除该输出目录")
}

/// The message of E0111 when another build holds the output folder's lock.
pub const BUSY: &str = "另一个 jixiao 正在生成到这个输出目录；本年度这次不生成";

/// Whether a year was not built only because another build held its output folder, so
/// that trying again later will build it (`watch` does).
pub fn refused_busy(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.rule.code == rules::E0111.code && d.message == BUSY)
}

/// E0111: the output folder could not be locked.
pub(crate) fn busy_folder(out_dir: &Path, error: LockError) -> Diagnostic {
    let message = match error {
        LockError::Busy => BUSY.to_string(),
        LockError::NotAFile => format!("无法锁定输出目录：其中的 {} 不是普通文件", crate::incremental::lock::LOCK_FILE),
        LockError::Io(e) => format!("无法锁定输出目录：{}", io_reason(&e)),
    };
    Diagnostic::new(&rules::E0111, out_dir, None, message)
        .with_hint("等另一个生成结束后再运行一次（已生成的 PDF 不会重复排版）")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::pipeline::prepare_from;
    use crate::spec::source::Memory;
    use crate::workspace::Workspace;

    /// A year of two projects (given in reverse code order) held in memory.
    fn year(second_goal: &str) -> Prepared {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let seed = root.join("specs/2024");
        let read = |name: &str| std::fs::read_to_string(seed.join(name)).unwrap();
        let mut memory = Memory::default();
        let dir = Path::new("specs/2024");
        memory.files.insert(dir.join("department.yaml"), read("department.yaml"));
        memory
            .files
            .insert(dir.join("projects/131003002.yaml"), read("projects/131003002.yaml").replace("goal:", second_goal));
        memory.files.insert(dir.join("projects/131003001.yaml"), read("projects/131003001.yaml"));
        prepare_from(&memory, &Workspace::at(root), dir, None, None)
    }

    fn plan(prepared: &Prepared, fresh: &dyn Fn(&Path, &str) -> bool) -> Vec<Job> {
        let names = prepared.checked.outputs.as_ref().expect("output names");
        let options = BuildOptions { environment: "test".into(), ..BuildOptions::default() };
        jobs(prepared, &options, &code_order(prepared), Path::new("out/2024"), names, true, fresh)
    }

    #[test]
    fn the_report_then_the_projects_in_code_order() {
        let prepared = year("goal:");
        let jobs = plan(&prepared, &|_, _| false);
        let documents: Vec<String> = jobs.iter().map(|j| j.document.ident()).collect();
        assert_eq!(documents, ["report", "131003001", "131003002"]);
        assert_eq!(jobs[1].path, Path::new("out/2024/131003001-政务服务中心工作.pdf"));
        assert!(jobs[0].path.to_string_lossy().ends_with("年度绩效目标.pdf"));
        assert!(jobs.iter().all(|j| j.valid && !j.fresh));
        let on_disk = plan(&prepared, &|path, _| path.to_string_lossy().contains("131003001"));
        assert_eq!(on_disk.iter().map(|j| j.fresh).collect::<Vec<_>>(), [false, true, false], "asked per document");
    }

    #[test]
    fn a_changed_spec_changes_its_key_and_the_reports_only() {
        let before = plan(&year("goal:"), &|_, _| false);
        let after = plan(&year("goal: 改过的目标。"), &|_, _| false);
        assert_ne!(before[0].key, after[0].key, "the report prints every project");
        assert_eq!(before[1].key, after[1].key, "the other project");
        assert_ne!(before[2].key, after[2].key, "the changed project");
        assert_eq!(plan(&year("goal:"), &|_, _| false)[2].key, before[2].key, "keys are stable");
    }
}
