//! The preview beside the editor: the pages of the edited project's table (or, for the
//! department file, of the year's report) as SVG, from the same layout as the PDF.
//! Nothing is shown for a year with errors in that file or its department; the page
//! keeps the last preview and says why.

use crate::config::OutputFormat;
use crate::pipeline::Prepared;
use crate::pipeline::preview::{table_pages, year_images};
use crate::serve::State;
use crate::serve::paths::SpecPath;
use crate::validate::outputs::image_owner;

/// Pages, or why there are none.
pub struct Preview {
    /// SVG documents, one per page.
    pub pages: Vec<String>,
    /// Why nothing is shown, when nothing is.
    pub note: Option<String>,
}

/// The preview of `spec` in `prepared`.
pub fn pages(state: &State, prepared: &Prepared, spec: &SpecPath) -> Preview {
    let svg = |pages: Vec<Vec<u8>>| pages.into_iter().map(|p| String::from_utf8_lossy(&p).into_owned()).collect();
    let (setup, ppi) = (&state.setup, state.setup.settings.ppi);
    let pages: Vec<String> = if spec.department {
        let Some(report) = prepared.checked.outputs.as_ref().map(|n| n.report.clone()) else {
            return none("department.yaml 有错误，改正后显示预览");
        };
        if prepared.checked.diagnostics.iter().any(|d| d.is_error()) {
            return none("本年度的规格有错误（见左侧和项目列表），改正后显示合订本预览");
        }
        let (mut images, _) = year_images(
            prepared,
            &setup.settings.workspace,
            &setup.typesetter,
            setup.prefs.clone(),
            OutputFormat::Svg,
            ppi,
        );
        images.retain(|(name, _)| image_owner(name).as_deref() == Some(report.as_str()));
        images.sort_by_key(|(name, _)| page_number(name));
        svg(images.into_iter().map(|(_, bytes)| bytes).collect())
    } else {
        let Some(index) = prepared.files.projects.iter().position(|p| p.path == spec.path) else {
            return none("文件有语法或结构错误，改正后显示预览");
        };
        match table_pages(prepared, index, &setup.prefs, &setup.typesetter, OutputFormat::Svg, ppi) {
            Ok(pages) => svg(pages),
            Err(problems) => {
                let first = problems.first().map(|d| d.message.clone()).unwrap_or_default();
                return none(&format!("排版失败：{first}"));
            }
        }
    };
    if pages.is_empty() {
        let why = if prepared.checked.department_ok { "这个项目有错误" } else { "department.yaml 有错误" };
        return none(&format!("{why}，改正后显示预览"));
    }
    Preview { pages, note: None }
}

fn none(why: &str) -> Preview {
    Preview { pages: Vec::new(), note: Some(why.to_string()) }
}

/// The page number of an image named `<stem>-<n>.svg`.
pub fn page_number(name: &str) -> usize {
    name.rsplit_once('-').and_then(|(_, rest)| rest.split('.').next()?.parse().ok()).unwrap_or(0)
}
