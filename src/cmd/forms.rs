//! `jixiao forms`: the forms installed under `templates/`, each with its description and
//! whether it ships an example department (for `jixiao init`).

use std::path::Path;

use crate::diag::Sources;
use crate::form::{EXAMPLE_DIR, Form};
use crate::session::{Done, Status, Stopped};
use crate::workspace::Workspace;

/// Runs `forms`.
pub fn forms(root: &Path) -> Result<Done, Stopped> {
    let templates = Workspace::at(root).templates;
    let names = Form::available(&templates);
    if names.is_empty() {
        return Err(Stopped(format!("{} 中没有表样（每种表样是一个含 form.yaml 的目录）", templates.display())));
    }
    let mut done = Done::new();
    done.out(format!("{} 中的表样：", templates.display()));
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    for name in &names {
        match Form::load(&templates, name, &mut Sources::default()) {
            Ok(form) => {
                let example = if form.dir.join(EXAMPLE_DIR).join("department.yaml").is_file() {
                    format!("（有示例：jixiao init --form {name} specs/<年度>）")
                } else {
                    String::new()
                };
                let kind = match form.def.kind {
                    crate::form::FormKind::Targets => String::new(),
                    kind => format!("【{}，写在 actuals/<期间>/period.yaml 中】", kind.label()),
                };
                done.out(format!("  {name:width$}  {}{kind}{example}", form.def.name));
            }
            Err(d) => {
                done.out(format!("  {name:width$}  无法使用：{}", d.message));
                done.status = Status::Failed;
            }
        }
    }
    Ok(done)
}
