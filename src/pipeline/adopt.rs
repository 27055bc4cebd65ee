//! Adopt: documents on disk that are byte for byte what their inputs make, although the
//! manifest does not say so — a fresh clone (the manifest is never committed) or a new
//! build of the tool (its key changed) — are made in memory, compared with the files,
//! and recorded in the manifest, so that they read as up to date without being written
//! again. Nothing but the manifest is written; a document that differs stays stale.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use super::jobs::{code_order, jobs};
use super::{BuildOptions, MemorySink, Prepared, Sink, build_years};
use crate::incremental::lock::FolderLock;
use crate::incremental::manifest::{Entry, Manifest, file_stamp, hex_sha256};
use crate::incremental::write::read_output;
use crate::typeset::Typesetter;
use crate::validate::outputs::image_owner;
use crate::workspace::Workspace;

/// Whether each document of `prepared` is as its inputs make it (its path and the
/// answer), after recording those whose files are so although the manifest did not say
/// it. `tried` holds the input keys compared before (a document found to differ is not
/// made again for the same inputs).
pub fn fresh_documents(
    prepared: &Prepared,
    workspace: &Workspace,
    typesetter: &Typesetter,
    options: &BuildOptions,
    tried: &Mutex<BTreeSet<String>>,
) -> Vec<(PathBuf, bool)> {
    let Some(names) = &prepared.checked.outputs else { return Vec::new() };
    let out_dir = workspace.out.join(&prepared.out_rel);
    let year_ok = !prepared.checked.blocked && !prepared.checked.diagnostics.iter().any(|d| d.is_error());
    let mut manifest = Manifest::load(&out_dir);
    let extensions: Vec<&str> = options.images.iter().map(|f| f.extension()).collect();
    let fresh = |path: &std::path::Path, key: &str| {
        manifest.is_fresh(path, key) && manifest.images_fresh(path, key, &extensions)
    };
    let jobs = jobs(prepared, options, &code_order(prepared), &out_dir, names, year_ok, &fresh);
    let answer =
        |adopted: &[&PathBuf]| jobs.iter().map(|j| (j.path.clone(), j.fresh || adopted.contains(&&j.path))).collect();
    let candidates: Vec<_> = {
        let mut tried = tried.lock().unwrap_or_else(PoisonError::into_inner);
        jobs.iter().filter(|j| j.valid && !j.fresh && j.path.is_file() && tried.insert(j.key.clone())).collect()
    };
    if candidates.is_empty() {
        return answer(&[]);
    }
    let memory = MemorySink::default();
    let made_options = BuildOptions {
        force: true,
        sink: Sink::Memory(memory.clone()),
        timings: Arc::default(),
        layouts: None,
        marks: Default::default(),
        ..options.clone()
    };
    build_years(std::slice::from_ref(prepared), workspace, typesetter, &made_options, &|_| {});
    let made = memory.files();
    let Ok(_lock) = FolderLock::acquire(&out_dir) else { return answer(&[]) };
    let mut adopted = Vec::new();
    for job in candidates {
        let Some(name) = job.path.file_name().and_then(|n| n.to_str()) else { continue };
        let Some(bytes) = made.get(&job.path) else { continue };
        if read_output(&job.path).as_ref() != Some(bytes) {
            continue;
        }
        let images: Vec<_> = made
            .iter()
            .filter(|(p, _)| p.file_name().and_then(|n| n.to_str()).and_then(image_owner).as_deref() == Some(name))
            .collect();
        if !images.iter().all(|(p, b)| read_output(p).as_ref() == Some(*b)) {
            continue;
        }
        let entry = |path: &std::path::Path, bytes: &[u8]| Entry {
            input: job.key.clone(),
            output: hex_sha256(bytes),
            stamp: file_stamp(path),
        };
        manifest.entries.insert(name.to_string(), entry(&job.path, bytes));
        for (path, bytes) in images {
            if let Some(image) = path.file_name().and_then(|n| n.to_str()) {
                manifest.entries.insert(image.to_string(), entry(path, bytes));
            }
        }
        adopted.push(&job.path);
    }
    if !adopted.is_empty() {
        manifest.source = Some(workspace.source_name(&prepared.files.dir));
        if manifest.save(&out_dir).is_err() {
            adopted.clear();
        }
    }
    answer(&adopted)
}
