//! Fitting tables to their pages: lay out, read where each indicator row begins, split
//! the 一级/二级 groups that break across pages, lay out again; then check that nothing
//! lies outside the paper.

use std::collections::{BTreeMap, BTreeSet};

use typst_layout::PagedDocument;

use super::errors::{template_error, typst_error};
use super::timings::{Phase, Timings};
use crate::diag::{Diagnostic, rules};
use crate::form::Form;
use crate::render::Renderer;
use crate::spec::year::YearFiles;
use crate::typeset::{Laid, Typesetter, compose, overflow};
use crate::view::{self};

/// Most layouts of one document while it is fitted to its pages (splitting groups and
/// letting rows break can move other rows, so each new layout is checked again).
pub(crate) const FIT_ATTEMPTS: usize = 6;

/// How a document's tables are fitted to pages, by project code: the rows that begin a
/// page (their groups are split there) and the rows allowed to break across pages.
#[derive(Default, Clone, PartialEq)]
pub(crate) struct Fit {
    pub(crate) starts: BTreeMap<String, BTreeSet<usize>>,
    pub(crate) breakable: BTreeMap<String, BTreeSet<usize>>,
}

impl Fit {
    /// A project's view fitted.
    pub(crate) fn apply(&self, project: &view::ProjectView) -> view::ProjectView {
        let none = BTreeSet::new();
        let starts = self.starts.get(&project.code).unwrap_or(&none);
        let breakable = self.breakable.get(&project.code).unwrap_or(&none);
        project.fitted(starts, breakable)
    }
}

/// What fitting a document reads of its year: the form, where time goes, and the
/// year's files (to point an overflow at the spec text that caused it).
pub(crate) struct Fitting<'a> {
    /// The form.
    pub(crate) form: &'a Form,
    /// Where this run's time goes.
    pub(crate) timings: &'a Timings,
    /// The year's files.
    pub(crate) files: &'a YearFiles,
}

/// Renders a template and lays it out: the pages and any Typst warnings.
///
/// Tables are fitted to their pages: an indicator row does not break across pages; a
/// 一级/二级 group that does is split where its rows begin a new page (see
/// [`view::ProjectView::fitted`]), so its label prints again there; and a row taller than
/// a whole page, which would run off it, is allowed to break. The result is checked:
/// anything outside the paper is error E0402 naming `what`.
pub(crate) fn lay_out(
    year: &Fitting,
    renderer: &Renderer,
    typesetter: &Typesetter,
    template: &str,
    context: &view::Context,
    what: &str,
) -> Result<(PagedDocument, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (form, timings) = (year.form, year.timings);
    let mut fit = Fit::default();
    for attempt in 1.. {
        let fitted;
        let context = if fit == Fit::default() {
            context
        } else {
            fitted = view::Context {
                project: context.project.as_ref().map(|p| fit.apply(p)),
                report: context.report.as_ref().map(|r| view::ReportView {
                    projects: r.projects.iter().map(|p| fit.apply(p)).collect(),
                    ..r.clone()
                }),
                ..context.clone()
            };
            &fitted
        };
        let source = timings
            .time(Phase::Render, || renderer.render(template, context))
            .map_err(|e| vec![template_error(form, &e)])?;
        let laid =
            timings.time(Phase::Layout, || typesetter.layout(&form.dir, source, &format!("{what}（模板 {template}）")));
        let Laid { document, warnings } = laid.map_err(|messages| {
            messages.iter().map(|m| typst_error(form, template, m, typesetter)).collect::<Vec<_>>()
        })?;
        let rows = compose::row_pages(&document);
        let overflow = overflow::find(&document);
        let mut next = Fit { starts: page_starts(&rows), breakable: fit.breakable.clone() };
        if let Some(overflow) = &overflow {
            // The last row that begins on that page, if it may not break yet, is the one
            // that runs off it.
            let last = rows
                .iter()
                .flat_map(|(code, pages)| {
                    pages.iter().filter(|(_, p)| **p == overflow.page).map(move |(r, _)| (code, *r))
                })
                .max_by_key(|(_, row)| *row);
            if let Some((code, row)) = last {
                next.breakable.entry(code.clone()).or_default().insert(row);
            }
        }
        if next != fit && attempt < FIT_ATTEMPTS {
            fit = next;
            continue;
        }
        if let Some(overflow) = overflow {
            if let Some(diagnostic) = overflowing_spec_text(year.files, &overflow, what) {
                return Err(vec![diagnostic]);
            }
            return Err(vec![
                Diagnostic::new(
                    &rules::E0402,
                    &form.template_path(template),
                    None,
                    format!(
                        "{what}排版后，第 {} 页有内容超出纸张约 {} pt，打印时会被裁掉",
                        overflow.page, overflow.by_pt
                    ),
                )
                .with_hint(
                    "多为表样中不能跨页的内容（如 breakable: false 的单元格或块）比一页还高；请联系维护表样的同事",
                ),
            ]);
        }
        return Ok((document, warnings.iter().map(|m| typst_error(form, template, m, typesetter)).collect()));
    }
    unreachable!("the loop returns")
}

/// E0402 at the spec text that runs off the paper (a long word or address that cannot be
/// broken, in a cell too narrow for it), when the runs beyond the paper are part of one.
fn overflowing_spec_text(
    files: &YearFiles,
    overflow: &crate::typeset::overflow::Overflow,
    what: &str,
) -> Option<Diagnostic> {
    let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let run = overflow.texts.iter().map(|t| squeeze(t)).filter(|t| t.chars().count() >= 4).max_by_key(String::len)?;
    let department = files.department.iter().flat_map(|d| d.spec.texts().into_iter().map(move |t| (&d.path, t)));
    let projects = files.projects.iter().flat_map(|p| p.spec.texts().into_iter().map(move |t| (&p.path, t)));
    let (path, text, source) =
        department.chain(projects).find(|(_, t)| squeeze(&t.value).contains(&run)).map(|(path, t)| {
            let source = files
                .projects
                .iter()
                .find(|p| p.path == *path)
                .map(|p| p.text.as_str())
                .or(files.department.as_ref().map(|d| d.text.as_str()))
                .unwrap_or_default();
            (path, t, source)
        })?;
    let span = crate::yaml::span_of(source, text);
    Some(
        Diagnostic::new(
            &rules::E0402,
            path,
            Some(span),
            format!("{what}排版后，这段文字有一部分超出纸张约 {} pt，打印时会被裁掉", overflow.by_pt),
        )
        .with_label("这里有一长串不能断开换行的字符")
        .with_hint("多为很长的网址、编号或连续的英文字母、数字；请在其中加空格，或改短"),
    )
}

/// The rows that begin a page, by code: those whose page differs from the row before.
pub(crate) fn page_starts(rows: &BTreeMap<String, BTreeMap<usize, usize>>) -> BTreeMap<String, BTreeSet<usize>> {
    rows.iter()
        .map(|(code, pages)| {
            let starts = pages.iter().zip(pages.iter().skip(1)).filter(|((_, a), (_, b))| a != b);
            (code.clone(), starts.map(|(_, (row, _))| *row).collect::<BTreeSet<usize>>())
        })
        .filter(|(_, starts)| !starts.is_empty())
        .collect()
}
