//! `jixiao diff --pdf FILE`: the new report with every change marked.

use std::path::Path;

use crate::cli::DiffArgs;
use crate::cmd::{Done, Stopped};
use crate::pipeline::Prepared;
use crate::review::{Diff, YearDiff};
use crate::workspace::Workspace;

/// Writes the change-marked report of each changed year.
pub fn write(
    _root: &Path,
    _workspace: &Workspace,
    _args: &DiffArgs,
    _diff: &Diff,
    _years: &[(&Prepared, &YearDiff)],
    _file: &Path,
    _done: &mut Done,
) -> Result<(), Stopped> {
    Err(Stopped("--pdf 尚未完成".into()))
}
