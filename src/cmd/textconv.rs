//! `jixiao textconv FILE`: one spec file as stable, readable text, for git's textconv
//! (`git diff`, `git log -p`, `git show`). A diff must never fail because of it: a file
//! that is not a spec jixiao can read is printed as it is.

use std::path::Path;

use crate::cli::TextconvArgs;
use crate::cmd::{Done, Stopped, Stream};
use crate::diag::Sources;
use crate::form::fields::FormFields;
use crate::form::{DEFAULT_FORM, Form};
use crate::spec::load::parse_spec;
use crate::spec::model::{DepartmentSpec, ProjectSpec};
use crate::spec::text_form;
use crate::spec::year::DEPARTMENT_FILE;
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

/// The text form of a project or department spec; `None` for anything else. A project
/// is read against the form its year's `department.yaml` names (the seed's when there is
/// none to be read), which also gives the print order.
fn convert(root: &Path, path: &Path, text: &str) -> Option<String> {
    let templates = Workspace::at(root).templates;
    let department = path
        .parent()
        .and_then(Path::parent)
        .map(|year| year.join(DEPARTMENT_FILE))
        .and_then(|d| std::fs::read_to_string(&d).ok().map(|text| (d, text)))
        .and_then(|(d, text)| parse_spec::<DepartmentSpec>(&d, &text, &FormFields::default()).ok());
    let name = department.as_ref().and_then(|d| d.form.as_ref()).map(|f| f.value.trim().to_string());
    let form = Form::load(&templates, name.as_deref().unwrap_or(DEFAULT_FORM), &mut Sources::default()).ok();
    let fields = form.as_ref().map(|f| f.fields.clone()).unwrap_or_default();
    if let Ok(spec) = parse_spec::<ProjectSpec>(path, text, &fields) {
        return Some(text_form::project(&spec, form.as_ref()));
    }
    parse_spec::<DepartmentSpec>(path, text, &FormFields::default()).ok().map(|spec| text_form::department(&spec))
}
