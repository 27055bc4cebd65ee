//! `jixiao import`: projects from office files (Excel .xlsx/.xls, Word .docx) into spec
//! files, one per project, never over an existing one unless asked. What could not be
//! read is reported with its file, sheet and cell; a file that cannot be read at all
//! writes nothing. `check` then runs on the result as on any spec.

use std::path::Path;

use crate::cli::{FontArgs, ImportArgs};
use crate::cmd::init::{period_name_ok, year_with_targets};
use crate::diag::Sources;
use crate::form::{DEFAULT_FORM, Form, FormKind};
use crate::import::period::layout::PeriodLayout;
use crate::import::period::run::{DEFAULT_MONTH, Destination, import_period};
use crate::import::printed::Layout;
use crate::import::run::{Imported, import_files};
use crate::pipeline::FontPreferences;
use crate::pipeline::office::{period_probe_grid, probe_grid};
use crate::session::settings::Settings;
use crate::session::{Done, Status, Stopped};
use crate::spec::modeline;
use crate::workspace::Workspace;

/// Runs `import`.
pub fn import(root: &Path, args: &ImportArgs) -> Result<Done, Stopped> {
    let mut done = Done::new();
    // No year needs to exist yet: importing may be how a project starts.
    let settings = Settings::load(root, &FontArgs::default())?;
    let typesetter = settings.typesetter()?;
    let prefs = FontPreferences::default();
    let name = args.form.clone().or_else(|| settings.config.form.clone()).unwrap_or_else(|| DEFAULT_FORM.to_string());
    let form = Form::load(&settings.workspace.templates, &name, &mut Sources::default())
        .map_err(|d| Stopped(format!("{}（可用 jixiao forms 查看已安装的表样）", d.message)))?;
    let imported = if form.def.kind == FormKind::Targets {
        let layout = Layout::learn(&probe_grid(&form, &prefs, &typesetter).map_err(Stopped)?, &form);
        let schema = modeline::schema_file(root, &form.name, false);
        import_files(&args.files, &form, &layout, &args.into, &schema, args.force)
    } else {
        import_period_tables(root, args, &form, &prefs, &typesetter)?
    };
    for (path, place) in &imported.written {
        done.out(format!("已导入 {}（{place}）", path.display()));
    }
    for problem in &imported.problems {
        done.err(format!("{problem}\n"));
    }
    let errors = imported.problems.iter().filter(|p| p.is_error).count();
    done.out(format!(
        "导入完成：写入 {} 个项目，{errors} 个错误，{} 个警告。请运行 jixiao check {} 检查导入的规格",
        imported.written.iter().filter(|(path, _)| !path.ends_with(crate::model::actuals::PERIOD_FILE)).count(),
        imported.problems.len() - errors,
        args.into.display()
    ));
    if errors > 0 {
        done.status = Status::Failed;
    }
    Ok(done)
}

/// A period's tables (self-evaluation, monitoring) into `actuals/` of a year that has its
/// targets: the targets are read and checked first, as `init` does for a new period.
fn import_period_tables(
    root: &Path,
    args: &ImportArgs,
    form: &Form,
    prefs: &FontPreferences,
    typesetter: &crate::typeset::Typesetter,
) -> Result<Imported, Stopped> {
    if let Some(name) = &args.period {
        period_name_ok(name)?;
    }
    let why = format!("而{}按项目名称对应目标：请先写好或导入这一年的目标", form.def.title);
    let year = year_with_targets(&Workspace::at(root), &args.into, &why)?;
    let month = (form.def.kind == FormKind::Monitoring).then_some(args.month.unwrap_or(DEFAULT_MONTH));
    let grid = period_probe_grid(form, prefs, typesetter, month).map_err(Stopped)?;
    let layout = PeriodLayout::learn(&grid, form);
    let to = Destination {
        year: &year.files,
        targets: &year.checked,
        period: args.period.clone(),
        month: args.month,
        schemas: root.join(modeline::SCHEMA_DIR).join(&form.name),
        force: args.force,
    };
    Ok(import_period(&args.files, form, &layout, &to))
}
