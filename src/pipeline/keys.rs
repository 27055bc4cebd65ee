//! The inputs an output depends on, listed once: the environment of a run
//! ([`environment`]), what every output of a build shares (`build_key`), then a year's
//! form (`form_key`). A document's key (`jobs::jobs`) and the whole year's (the
//! unchanged-year record, [`super::unchanged`]) are both built on these, so an input
//! added here reaches both.

use std::path::PathBuf;

use super::BuildOptions;
use crate::incremental::manifest::{KeyBuilder, environment_key};

/// The environment of a run (what [`BuildOptions::environment`] holds): the tool and the
/// font files (see [`environment_key`]), whether system fonts are searched, the output
/// settings (`outputs`: PDF standard, formats, resolution) and `SOURCE_DATE_EPOCH`.
pub fn environment(font_files: &[PathBuf], system_fonts: bool, outputs: &str) -> String {
    environment_key(
        font_files,
        &[
            ("system fonts", if system_fonts { "yes" } else { "no" }),
            ("outputs", outputs),
            ("source date", &std::env::var("SOURCE_DATE_EPOCH").unwrap_or_default()),
        ],
    )
}

/// What every output of a build depends on besides its year: the environment (tool,
/// font files and options, output settings; see
/// [`crate::incremental::manifest::environment_key`]) and the fonts each role prefers.
pub(crate) fn build_key(options: &BuildOptions) -> String {
    KeyBuilder::new(&options.environment).add("fonts", format!("{:?}", options.prefs.roles).as_bytes()).finish()
}

/// [`build_key`] with a year's form: its name and the digest of its files.
pub(crate) fn form_key(build: &str, form: &str, digest: &str) -> KeyBuilder {
    KeyBuilder::new(build).add("form", form.as_bytes()).add("form files", digest.as_bytes())
}
