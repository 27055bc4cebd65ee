//! `jixiao textconv FILE`: one spec file as stable, readable text, for git's textconv
//! (`git diff`, `git log -p`, `git show`). A diff must never fail because of it: a file
//! that is not a spec jixiao can read is printed as it is.

use std::path::Path;

use crate::cli::TextconvArgs;
use crate::diag::Sources;
use crate::files::{read_regular, read_regular_text};
use crate::form::Form;
use crate::form::fields::FormFields;
use crate::model::actuals::{ACTUALS_DIR, PERIOD_FILE, PeriodSpec};
use crate::model::{DepartmentSpec, ProjectSpec};
use crate::session::{Done, Stopped, Stream};
use crate::spec::actuals::parse_actuals;
use crate::spec::actuals_text;
use crate::spec::load::parse_spec;
use crate::spec::text_form;
use crate::spec::year::{DEPARTMENT_FILE, form_named};
use crate::workspace::Workspace;
use crate::yaml::MAX_SPEC_BYTES;

/// Runs `textconv`.
pub fn textconv(root: &Path, args: &TextconvArgs) -> Result<Done, Stopped> {
    let bytes = read_regular(&args.file, MAX_SPEC_BYTES)
        .map_err(|e| Stopped(format!("无法读取 {}：{}", args.file.display(), e.reason())))?;
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
    // Run by git for every file it shows: a broken jixiao.toml must not stop `git diff`.
    let workspace = crate::session::settings::Settings::load(root, &crate::cli::FontArgs::default())
        .map(|s| s.workspace)
        .unwrap_or_else(|_| Workspace::at(root));
    let templates = workspace.templates;
    let load = |name: Option<String>| {
        Form::load(&templates, name.as_deref().unwrap_or(&workspace.default_form), &mut Sources::default()).ok()
    };
    let fields = |form: &Option<Form>| form.as_ref().map(|f| f.fields.clone()).unwrap_or_default();
    // A period's files: `<year>/actuals/<period>/<file>`.
    let in_period = path.parent().and_then(Path::parent).and_then(Path::file_name).is_some_and(|n| n == ACTUALS_DIR);
    if in_period {
        if path.file_name().is_some_and(|n| n == PERIOD_FILE) {
            return crate::yaml::parse::<PeriodSpec>(path, text).ok().map(|spec| actuals_text::period(&spec));
        }
        let named = path
            .parent()
            .map(|period| period.join(PERIOD_FILE))
            .and_then(|p| read_regular_text(&p, MAX_SPEC_BYTES).ok().map(|text| (p, text)))
            .and_then(|(p, text)| crate::yaml::parse::<PeriodSpec>(&p, &text).ok())
            .map(|spec| spec.form.value);
        let form = named.and_then(|name| load(Some(name)));
        return parse_actuals(path, text).ok().map(|spec| actuals_text::actuals(&spec, form.as_ref()));
    }
    // A department file names its form itself.
    if let Some(name) = form_named(text) {
        let form = load(Some(name));
        return parse_spec::<DepartmentSpec>(path, text, &fields(&form)).ok().map(|spec| text_form::department(&spec));
    }
    let named = path
        .parent()
        .and_then(Path::parent)
        .map(|year| year.join(DEPARTMENT_FILE))
        .and_then(|d| read_regular_text(&d, MAX_SPEC_BYTES).ok())
        .and_then(|text| form_named(&text));
    let form = load(named);
    if let Ok(spec) = parse_spec::<ProjectSpec>(path, text, &fields(&form)) {
        return Some(text_form::project(&spec, form.as_ref()));
    }
    parse_spec::<DepartmentSpec>(path, text, &FormFields::default()).ok().map(|spec| text_form::department(&spec))
}
