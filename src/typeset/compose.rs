//! Putting laid-out pages together, so that every project table is laid out once.
//!
//! A project's table is laid out once, on pages without a footer. Its own PDF stacks
//! those pages on the pages of a *footer sheet* (pages that carry nothing but the form's
//! footer, numbered from 1); the combined report stacks them on the *slots* it left for
//! them (pages that carry nothing but the report's footer and a `<jixiao-slot>` marker).
//! A report may still lay a table out itself (the first one, under its section heading).
//! Footers and page numbers therefore always come from the form's own Typst, and nothing
//! is ever removed from a laid-out page: frames are only stacked.

use std::collections::BTreeMap;

use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::layout::Point;
use typst::model::Document;
use typst::utils::PicoStr;
use typst_layout::{Page, PagedDocument};

/// The label of the marker on every page a report leaves for a project table.
pub const SLOT_LABEL: &str = "jixiao-slot";
/// The label of the marker of a table a report lays out itself.
pub const TABLE_LABEL: &str = "jixiao-table";
/// The label of the marker at the start of each indicator row: `(code, row)`.
pub const ROW_LABEL: &str = "jixiao-row";

/// `top` drawn over `under`: `under`'s page (size, fill, number) with both contents.
fn stack(under: &Page, top: &Page) -> Page {
    let mut page = under.clone();
    page.frame.push_frame(Point::zero(), top.frame.clone());
    page
}

/// A table's own document: each of its footerless pages stacked on the matching page
/// of `sheet`, which must have at least as many pages.
pub fn with_footers(table: &PagedDocument, sheet: &PagedDocument) -> Result<PagedDocument, String> {
    if sheet.pages().len() < table.pages().len() {
        return Err(format!("页脚页只有 {} 页，项目表有 {} 页", sheet.pages().len(), table.pages().len()));
    }
    let pages = sheet.pages().iter().zip(table.pages()).map(|(under, top)| stack(under, top)).collect();
    Ok(PagedDocument::new(pages, table.info().clone()))
}

/// The report with its slots filled. `tables` are the projects' own tables by code; a
/// report must either lay a table out itself (and mark it `<jixiao-table>` with the
/// code) or leave slots for it, each marked `<jixiao-slot>` with the code: the n-th slot
/// of a code receives page n of that table, one slot per page.
pub fn fill_slots(report: &PagedDocument, tables: &[(&str, &PagedDocument)]) -> Result<PagedDocument, String> {
    let mut filled: Vec<Page> = report.pages().to_vec();
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let mut last = None;
    for (code, slot) in markers(report, SLOT_LABEL) {
        // A page marked twice is filled once.
        if last.replace(slot) == Some(slot) {
            continue;
        }
        let table = tables
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, t)| t)
            .ok_or_else(|| format!("合订本模板为不存在的项目 {code} 留出了页位"))?;
        let n = taken.entry(code.clone()).or_insert(0);
        let top = table
            .pages()
            .get(*n)
            .ok_or_else(|| format!("合订本模板为项目 {code} 留出的页位多于它的 {} 页", table.pages().len()))?;
        filled[slot] = stack(&filled[slot], top);
        *n += 1;
    }
    let in_place: Vec<String> = markers(report, TABLE_LABEL).into_iter().map(|(code, _)| code).collect();
    for (code, table) in tables {
        let slots = taken.get(*code).copied().unwrap_or(0);
        let placed = in_place.iter().any(|c| c == code);
        if (slots > 0 || !placed) && slots != table.pages().len() {
            return Err(format!("合订本模板为项目 {code} 留出了 {slots} 个页位，它有 {} 页", table.pages().len()));
        }
    }
    Ok(PagedDocument::new(filled.into_iter().collect(), report.info().clone()))
}

/// Where each indicator row begins: its page (from 1), by project code and row, read
/// from the `<jixiao-row>` markers `(code, row)` of the document.
pub fn row_pages(document: &PagedDocument) -> BTreeMap<String, BTreeMap<usize, usize>> {
    let Some(label) = Label::new(PicoStr::intern(ROW_LABEL)) else { return BTreeMap::new() };
    let introspector = document.introspector();
    let mut rows: BTreeMap<String, BTreeMap<usize, usize>> = BTreeMap::new();
    for marker in introspector.query(&Selector::Label(label)).iter() {
        let Some(meta) = marker.to_packed::<MetadataElem>() else { continue };
        let Value::Array(pair) = &meta.value else { continue };
        let (Ok(Value::Str(code)), Ok(Value::Int(row))) = (pair.at(0, None), pair.at(1, None)) else { continue };
        let (Ok(row), Some(page)) = (usize::try_from(row), marker.location().and_then(|l| introspector.page(l))) else {
            continue;
        };
        rows.entry(code.to_string()).or_default().insert(row, page.get());
    }
    rows
}

/// The markers labelled `label` in document order: the project code each names and its
/// (0-based) page.
fn markers(document: &PagedDocument, label: &str) -> Vec<(String, usize)> {
    let Some(label) = Label::new(PicoStr::intern(label)) else { return Vec::new() };
    let introspector = document.introspector();
    let mut found: Vec<(String, usize)> = Vec::new();
    for marker in introspector.query(&Selector::Label(label)).iter() {
        let Some(meta) = marker.to_packed::<MetadataElem>() else { continue };
        let Value::Str(code) = &meta.value else { continue };
        let Some(page) = marker.location().and_then(|l| introspector.page(l)) else { continue };
        found.push((code.to_string(), page.get() - 1));
    }
    found
}
