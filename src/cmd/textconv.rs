//! `jixiao textconv FILE`: one spec file as stable, readable text, for git's textconv
//! (`git diff`, `git log -p`, `git show`). A diff must never fail because of it: a file
//! that is not a spec jixiao can read is printed as it is.

use std::path::Path;

use crate::cli::TextconvArgs;
use crate::cmd::{Done, Stopped, Stream};
use crate::diag::Sources;
use crate::form::{DEFAULT_FORM, Form};
use crate::spec::load::parse_spec;
use crate::spec::model::{DepartmentSpec, ProjectSpec, Spec};
use crate::spec::text_form;
use crate::workspace::Workspace;

/// Runs `textconv`.
pub fn textconv(root: &Path, args: &TextconvArgs) -> Result<Done, Stopped> {
    let bytes = std::fs::read(&args.file)
        .map_err(|e| Stopped(format!("无法读取 {}：{}", args.file.display(), crate::text::io_reason(&e))))?;
    let mut done = Done::new();
    let text = match String::from_utf8(bytes) {
        Ok(text) => convert(root, &args.file, &text).unwrap_or(text),
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    done.output.push((Stream::Out, text));
    Ok(done)
}

/// The text form of a project or department spec; `None` for anything else.
fn convert(root: &Path, path: &Path, text: &str) -> Option<String> {
    fn read<T: Spec>(path: &Path, text: &str) -> Option<T> {
        parse_spec::<T>(path, text, T::FIELDS).ok()
    }
    if let Some(spec) = read::<ProjectSpec>(path, text) {
        // The form gives the print order; without one, the order as written.
        let form = Form::load(&Workspace::at(root).templates, DEFAULT_FORM, &mut Sources::default()).ok();
        return Some(text_form::project(&spec, form.as_ref()));
    }
    read::<DepartmentSpec>(path, text).map(|spec| text_form::department(&spec))
}
