//! Reading a year's period folders (`actuals/<period>/`): `period.yaml` and one actuals
//! file per project, every file read and every problem a diagnostic, as for the targets.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Sources, rules};
use crate::files::read_error;
use crate::model::Text;
use crate::model::actuals::{ACTUALS_DIR, ActualsSpec, INDICATOR_FIELDS, PERIOD_FILE, PROJECT_FIELDS, PeriodSpec};
use crate::spec::cache::ParseCache;
use crate::spec::source::{Kind, SpecSource, is_spec_name};
use crate::spec::year::Loaded;
use crate::text::io_reason;

/// Everything read from one period folder.
#[derive(Debug, Default)]
pub struct PeriodFiles {
    /// The folder, e.g. `specs/2024/actuals/year-end`.
    pub dir: PathBuf,
    /// Its name (`year-end`), which its output folder takes.
    pub name: String,
    /// `period.yaml`, when it parsed.
    pub period: Option<Loaded<PeriodSpec>>,
    /// The projects' actuals files that parsed, in file-name order.
    pub actuals: Vec<Loaded<ActualsSpec>>,
    /// Actuals files that did not parse.
    pub broken: Vec<PathBuf>,
    /// Problems found while reading.
    pub diagnostics: Vec<Diagnostic>,
}

impl PeriodFiles {
    /// Whether an actuals file of this name exists but did not parse.
    pub fn broken_for(&self, target: &Path) -> bool {
        self.broken.iter().any(|b| b.file_name() == target.file_name())
    }
}

/// The period folders of a year folder (`actuals/*/` holding a `period.yaml`), sorted.
pub fn find_periods(source: &dyn SpecSource, year_dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = source
        .entries(&year_dir.join(ACTUALS_DIR))
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.kind == Kind::Folder)
        .map(|e| e.path)
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| !n.starts_with('.')))
        .collect();
    found.sort();
    found
}

/// Reads a period folder, remembering texts in `sources`. With a `cache`, an actuals file
/// already parsed (e.g. in the other version of a comparison) is not parsed again.
pub fn read_period(
    source: &dyn SpecSource,
    dir: &Path,
    sources: &mut Sources,
    cache: Option<&ParseCache>,
) -> PeriodFiles {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut files = PeriodFiles { dir: dir.to_path_buf(), name, ..PeriodFiles::default() };
    let period_path = dir.join(PERIOD_FILE);
    if source.exists(&period_path) {
        files.period = read_one(source, &period_path, sources, &mut files.diagnostics);
    } else {
        files.diagnostics.push(
            Diagnostic::new(&rules::E0110, &period_path, None, format!("实际数据目录缺少 {PERIOD_FILE}"))
                .with_hint("period.yaml 写明用哪个表样打印（form），监控表还要写监控到几月（month）"),
        );
    }
    let mut entries = match source.entries(dir) {
        Ok(entries) => entries,
        Err(e) => {
            files.diagnostics.push(Diagnostic::new(
                &rules::E0109,
                dir,
                None,
                format!("无法读取目录：{}", io_reason(&e)),
            ));
            return files;
        }
    };
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    for entry in entries.into_iter().filter(|e| e.kind != Kind::Folder) {
        let Some(name) = entry.path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        if name.starts_with('.') || name == PERIOD_FILE {
            continue;
        }
        if !is_spec_name(&name) {
            files.diagnostics.push(
                Diagnostic::new(&rules::W0901, &entry.path, None, "实际数据目录中有不是 .yaml 的文件，已忽略")
                    .with_hint("每个项目的实际数据是一个 .yaml 文件，文件名与 projects/ 中的项目文件相同"),
            );
            continue;
        }
        match read_actuals(source, &entry.path, sources, cache, &mut files.diagnostics) {
            Some(actuals) => files.actuals.push(actuals),
            None => files.broken.push(entry.path),
        }
    }
    files
}

fn read_one<T: serde::de::DeserializeOwned>(
    source: &dyn SpecSource,
    path: &Path,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Loaded<T>> {
    let text = read_text(source, path, sources, diagnostics)?;
    match crate::yaml::parse::<T>(path, &text) {
        Ok(spec) => Some(Loaded { path: path.to_path_buf(), text, spec, complete: true }),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    }
}

/// An actuals file's text parsed as `read_period` reads it: the typed figures and the
/// form's own fields (`textconv` reads one file alone).
pub fn parse_actuals(path: &Path, text: &str) -> Result<ActualsSpec, Diagnostic> {
    actuals_of(path, text).map(|(spec, _)| spec)
}

/// The text of a period folder's file, remembered in `sources`; a file that cannot be read
/// is a diagnostic.
fn read_text(
    source: &dyn SpecSource,
    path: &Path,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    match source.read(path, crate::yaml::MAX_SPEC_BYTES) {
        Ok(text) => {
            sources.add(path, &text);
            Some(text)
        }
        Err(e) => {
            diagnostics.push(read_error(path, e, crate::yaml::MAX_SPEC_BYTES, "实际数据文件"));
            None
        }
    }
}

/// Reads a project's actuals file: the typed figures, then the form's own fields from
/// its tree (every key the catalog does not have, for validation to judge).
fn read_actuals(
    source: &dyn SpecSource,
    path: &Path,
    sources: &mut Sources,
    cache: Option<&ParseCache>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Loaded<ActualsSpec>> {
    let text = read_text(source, path, sources, diagnostics)?;
    let parsed = match cache {
        Some(cache) => cache.read(path, &text, || actuals_of(path, &text)),
        None => actuals_of(path, &text),
    };
    match parsed {
        Ok((spec, mut found)) => {
            let complete = found.is_empty();
            diagnostics.append(&mut found);
            Some(Loaded { path: path.to_path_buf(), text, spec, complete })
        }
        Err(d) => {
            diagnostics.push(d);
            None
        }
    }
}

/// An actuals file's text read: its figures with the form's own fields, and the fields of
/// the form's own left out because they are not texts (E0102); or why it cannot be read.
fn actuals_of(path: &Path, text: &str) -> Result<(ActualsSpec, Vec<Diagnostic>), Diagnostic> {
    let mut spec = crate::yaml::parse::<ActualsSpec>(path, text)?;
    let Ok(tree) = crate::yaml::parse::<crate::yaml::tree::Node>(path, text) else { return Ok((spec, vec![])) };
    let not_texts = take_extra(&mut spec, &tree)
        .into_iter()
        .map(|key| {
            let span = crate::yaml::span_of(text, &key);
            Diagnostic::new(&rules::E0102, path, Some(span), format!("`{}` 应是一段文字，不是列表或键值对", key.value))
                .with_hint("表样自己的字段只写一段文字，如 key: 内容")
        })
        .collect();
    Ok((spec, not_texts))
}

/// The form's own fields of an actuals file, by where they are written.
fn take_extra(spec: &mut ActualsSpec, tree: &crate::yaml::tree::Node) -> Vec<Text> {
    use crate::yaml::tree::Value;
    let Value::Map(entries) = &tree.value else { return Vec::new() };
    let mut not_texts = Vec::new();
    spec.extra = unknown(entries, PROJECT_FIELDS, &mut not_texts);
    let listed = entries.iter().find(|(k, _)| k.value == "indicators").map(|(_, v)| &v.value);
    if let Some(Value::List(items)) = listed {
        for (indicator, item) in spec.indicators.iter_mut().zip(items) {
            if let Value::Map(entries) = &item.value {
                indicator.extra = unknown(entries, INDICATOR_FIELDS, &mut not_texts);
            }
        }
    }
    not_texts
}

/// The entries whose keys `known` does not have, as texts; the keys of those whose value
/// is a list or a map go to `not_texts` (a field of the form's own is a text).
fn unknown(
    entries: &[(serde_saphyr::Spanned<String>, crate::yaml::tree::Node)],
    known: &[crate::model::actuals::ActualField],
    not_texts: &mut Vec<Text>,
) -> Vec<(Text, Text)> {
    use crate::yaml::tree::Value;
    let mut found = Vec::new();
    for (k, v) in entries.iter().filter(|(k, _)| !known.iter().any(|f| f.key == k.value)) {
        let key = Text::new(&k.value, k.referenced, k.defined);
        let value = match &v.value {
            Value::Scalar(text) => text.as_str(),
            Value::Null => "",
            Value::Map(_) | Value::List(_) => {
                not_texts.push(key.clone());
                ""
            }
        };
        found.push((key, Text::new(value, v.referenced, v.defined)));
    }
    found
}
