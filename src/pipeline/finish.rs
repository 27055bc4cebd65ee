//! Finish: a year's outcomes collected, its manifest updated, and the PDFs it no longer
//! produces pruned (only ours, only when the whole year was read).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use super::BuildOptions;
use super::jobs::Job;
use super::outcome::{Outcome, Produced, YearResult, broken_outcomes};
use super::run::YearRun;
use super::timings::Phase;
use crate::diag::{Diagnostic, rules};
use crate::incremental::manifest::{Entry, Manifest, file_stamp};
use crate::text::io_reason;
use crate::validate::outputs::image_owner;

impl YearRun<'_> {
    /// Collects the year's outcomes (projects in code order, then the report), updates
    /// the manifest and removes stale PDFs.
    pub(crate) fn finish(self, results: Vec<Produced>, options: &BuildOptions) -> YearResult {
        let mut result = YearResult {
            dir: self.prepared.files.dir.clone(),
            diagnostics: self.prepared.checked.diagnostics.clone(),
            outcomes: Vec::new(),
        };
        let mut new_manifest = self.manifest.clone();
        let mut done: Vec<_> = results.into_iter().zip(&self.jobs).collect();
        // The report comes first in `jobs`; users read it after the projects.
        done.rotate_left(1);
        for ((outcome, diagnostics), job) in done {
            if let Outcome::Built { path, digest, images, .. } = &outcome
                && let Some(name) = path.file_name().and_then(|n| n.to_str())
            {
                let entry = Entry { input: job.key.clone(), output: digest.clone(), stamp: file_stamp(path) };
                new_manifest.entries.insert(name.to_string(), entry);
                // Its images now are exactly those just written; older ones (a page fewer,
                // a format no longer asked for) go.
                let fresh: BTreeSet<&str> =
                    images.iter().filter_map(|(p, _)| p.file_name().and_then(|n| n.to_str())).collect();
                let old: Vec<String> = new_manifest
                    .images_of(name)
                    .map(|(n, _)| n)
                    .filter(|n| !fresh.contains(n.as_str()))
                    .cloned()
                    .collect();
                for old_image in old {
                    if self.options.sink.is_disk() && self.manifest.wrote(&self.out_dir, &old_image) {
                        let _ = fs::remove_file(self.out_dir.join(&old_image));
                    }
                    new_manifest.entries.remove(&old_image);
                }
                for (image, digest) in images {
                    if let Some(image_name) = image.file_name().and_then(|n| n.to_str()) {
                        let entry = Entry { input: job.key.clone(), output: digest.clone(), stamp: file_stamp(image) };
                        new_manifest.entries.insert(image_name.to_string(), entry);
                    }
                }
            }
            result.outcomes.push(outcome);
            // A template problem shows up once per document: report it once.
            for d in diagnostics {
                if !result.diagnostics.contains(&d) {
                    result.diagnostics.push(d);
                }
            }
        }
        result.outcomes.extend(broken_outcomes(self.prepared));
        if !self.options.sink.is_disk() {
            return result;
        }
        if self.year_ok && result.failed() == 0 && result.skipped() == 0 {
            prune_stale(&self.out_dir, &self.jobs, &self.manifest, &mut new_manifest);
        }
        new_manifest.source = Some(self.source.clone());
        if (new_manifest.entries != self.manifest.entries
            || new_manifest.source != self.manifest.source
            || options.force)
            && self.out_dir.is_dir()
            && let Err(e) = self.timings.time(Phase::Write, || new_manifest.save(&self.out_dir))
        {
            result.diagnostics.push(
                Diagnostic::new(&rules::W0402, &self.out_dir, None, format!("无法写入增量构建清单：{}", io_reason(&e)))
                    .with_hint("PDF 已写好；下次生成时会重新排版全部 PDF"),
            );
        }
        result
    }
}

/// Removes PDFs this tool wrote earlier that no spec produces any more (a renamed or
/// deleted project). Only a plain output name in the manifest whose file still holds
/// exactly the bytes written is deleted; anything else is forgotten and left alone.
pub(crate) fn prune_stale(out_dir: &Path, jobs: &[Job], old: &Manifest, manifest: &mut Manifest) {
    let current: BTreeSet<&str> = jobs.iter().filter_map(|j| j.path.file_name().and_then(|n| n.to_str())).collect();
    // A page image lives as long as its PDF.
    let stale: Vec<String> = manifest
        .entries
        .keys()
        .filter(|name| !current.contains(image_owner(name).as_deref().unwrap_or(name.as_str())))
        .cloned()
        .collect();
    for name in stale {
        if old.wrote(out_dir, &name) {
            let _ = fs::remove_file(out_dir.join(&name));
        }
        manifest.entries.remove(&name);
    }
}
