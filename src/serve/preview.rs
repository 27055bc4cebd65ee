//! The preview beside the editor: the pages of the edited project's table (or, for the
//! department file, of the year's report) as SVG, from the same layout as the PDF.
//!
//! Each page goes out with its digest, and a page the browser already shows (it sends
//! the digests it has) goes without its SVG: an edit of a department's goal re-sends the
//! page it is on, not the report's eleven. The report's tables are laid out once and
//! kept ([`crate::pipeline::layouts`]), so a department edit lays out only the narrative;
//! projects with errors are left out of the report's preview (and named), so that one
//! unfinished draft does not hide the department's pages.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::config::OutputFormat;
use crate::incremental::manifest::hex_sha256;
use crate::pipeline::Prepared;
use crate::pipeline::preview::{report_images, table_pages};
use crate::serve::State;
use crate::serve::paths::SpecPath;

/// One page: its digest, and its SVG unless the browser has it already.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// The SHA-256 of the SVG (its first 16 hexadecimal digits).
    pub digest: String,
    /// The SVG document; `None` when the browser said it has this page.
    pub svg: Option<String>,
}

/// Pages, or why there are none.
#[derive(Default)]
pub struct Preview {
    /// The pages in order.
    pub pages: Vec<Page>,
    /// Why nothing (or not everything) is shown.
    pub note: Option<String>,
}

impl Preview {
    /// Pages from SVG bytes.
    pub fn of(svgs: Vec<Vec<u8>>) -> Preview {
        let pages = svgs
            .into_iter()
            .map(|bytes| Page {
                digest: hex_sha256(&bytes)[..16].to_string(),
                svg: Some(String::from_utf8_lossy(&bytes).into_owned()),
            })
            .collect();
        Preview { pages, note: None }
    }

    /// Nothing, and why.
    pub fn none(why: impl Into<String>) -> Preview {
        Preview { pages: Vec::new(), note: Some(why.into()) }
    }

    /// Without the SVG of the pages the browser has (by digest).
    pub fn without(mut self, have: &BTreeSet<String>) -> Preview {
        for page in &mut self.pages {
            if have.contains(&page.digest) {
                page.svg = None;
            }
        }
        self
    }
}

/// The preview of project `spec` in `prepared`.
pub fn project(state: &State, prepared: &Prepared, spec: &SpecPath) -> Preview {
    let setup = &state.setup;
    let Some(index) = prepared.files.projects.iter().position(|p| p.path == spec.path) else {
        return Preview::none("还有必填的内容没有填写或格式不对（见上方问题），改正后显示预览");
    };
    match table_pages(prepared, index, &setup.prefs, &setup.typesetter, OutputFormat::Svg, setup.settings.ppi) {
        Ok(pages) if pages.is_empty() => {
            let why = if prepared.checked.department_ok {
                "这个项目还有错误"
            } else {
                "部门文件（封面和说明）有错误"
            };
            Preview::none(format!("{why}，改正后显示预览"))
        }
        Ok(pages) => Preview::of(pages),
        Err(problems) => {
            let first = problems.first().map(|d| d.message.clone()).unwrap_or_default();
            Preview::none(format!("排版失败：{first}"))
        }
    }
}

/// The preview of the report of `prepared` (read without the projects that have errors,
/// which `left_out` names).
pub fn report(state: &State, prepared: &Prepared, left_out: &[String]) -> Preview {
    if !prepared.checked.department_ok || prepared.checked.outputs.is_none() {
        return Preview::none("部门文件还有错误，改正后显示合订本预览");
    }
    if prepared.checked.diagnostics.iter().any(|d| d.is_error()) {
        return Preview::none("本年度还有错误（见上方问题），改正后显示合订本预览");
    }
    let setup = &state.setup;
    let made = report_images(
        prepared,
        &setup.settings.workspace,
        &setup.typesetter,
        &state.preview_options,
        OutputFormat::Svg,
        setup.settings.ppi,
    );
    let mut preview = match made {
        Ok(pages) if pages.is_empty() => return Preview::none("合订本无法生成"),
        Ok(pages) => Preview::of(pages),
        Err(problems) => {
            let first = problems.first().map(|d| d.message.clone()).unwrap_or_default();
            return Preview::none(format!("排版失败：{first}"));
        }
    };
    if !left_out.is_empty() {
        preview.note = Some(format!("预览中暂未包含有错误的项目：{}（改正后才能生成合订本 PDF）", left_out.join("、")));
    }
    preview
}
