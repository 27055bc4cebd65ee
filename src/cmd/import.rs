//! `jixiao import`: projects from office files (Excel .xlsx/.xls, Word .docx) into spec
//! files, one per project, never over an existing one unless asked. What could not be
//! read is reported with its file, sheet and cell; a file that cannot be read at all
//! writes nothing. `check` then runs on the result as on any spec.

use std::path::Path;

use crate::cli::{FontArgs, ImportArgs};
use crate::diag::Sources;
use crate::form::{DEFAULT_FORM, Form};
use crate::import::printed::Layout;
use crate::import::run::import_files;
use crate::pipeline::FontPreferences;
use crate::pipeline::office::probe_grid;
use crate::session::settings::Settings;
use crate::session::{Done, Status, Stopped};
use crate::spec::modeline;

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
    let layout = Layout::learn(&probe_grid(&form, &prefs, &typesetter).map_err(Stopped)?, &form);
    let schema = modeline::schema_file(root, &form.name, false);
    let imported = import_files(&args.files, &form, &layout, &args.into, &schema, args.force);
    for (path, place) in &imported.written {
        done.out(format!("已导入 {}（{place}）", path.display()));
    }
    for problem in &imported.problems {
        done.err(format!("{problem}\n"));
    }
    let errors = imported.problems.iter().filter(|p| p.is_error).count();
    done.out(format!(
        "导入完成：写入 {} 个项目，{errors} 个错误，{} 个警告。请运行 jixiao check {} 检查导入的规格",
        imported.written.len(),
        imported.problems.len() - errors,
        args.into.display()
    ));
    if errors > 0 {
        done.status = Status::Failed;
    }
    Ok(done)
}
