//! After layout, nothing may lie outside the paper.
//!
//! Typst places content that does not fit (an unbreakable block taller than a page, for
//! one) beyond the bottom of its region, where printing cuts it off, without an error.
//! Every drawn item of a page (text, lines, shapes, images), followed through nested
//! groups and their transforms, must lie on the page; a clipping group's content must lie
//! inside the group (what it clips away is lost as well). A small tolerance allows for
//! strokes drawn on an edge. (Typst inlines the body's frame into the page's, so the
//! margins are not known here: content that reaches only into the bottom margin is
//! printed, over the footer, and not reported.)

use typst::layout::{Abs, Frame, FrameItem, Point, Rect, Size, Transform};
use typst_layout::PagedDocument;

/// How far a drawn item may stick out of its area: half a thick rule, and glyph
/// outlines at an edge.
const TOLERANCE_PT: f64 = 2.0;

/// Content found outside its area.
#[derive(Debug, Clone, PartialEq)]
pub struct Overflow {
    /// The page, from 1.
    pub page: usize,
    /// How far beyond the area, in points (rounded up).
    pub by_pt: f64,
    /// The texts of the runs that reach beyond the paper, in page order (so that the
    /// spec text that does not fit can be named).
    pub texts: Vec<String>,
}

/// The first page with content outside its area, if any.
pub fn find(document: &PagedDocument) -> Option<Overflow> {
    document.pages().iter().enumerate().find_map(|(index, page)| {
        let by = overflow_of_page(&page.frame);
        (by > Abs::pt(TOLERANCE_PT)).then(|| {
            let mut texts = Vec::new();
            texts_beyond(&page.frame, Transform::identity(), page.frame.size(), &mut texts);
            Overflow { page: index + 1, by_pt: by.to_pt().ceil(), texts }
        })
    })
}

/// The text runs of `frame` (placed by `ts`) that reach beyond the paper of `size`.
fn texts_beyond(frame: &Frame, ts: Transform, size: Size, found: &mut Vec<String>) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let inner = ts.pre_concat(Transform::translate(pos.x, pos.y)).pre_concat(group.transform);
                texts_beyond(&group.frame, inner, size, found);
            }
            FrameItem::Text(text) => {
                let beyond_paper =
                    leaf_bounds(*pos, item).is_some_and(|r| beyond(transformed(r, ts), size) > Abs::pt(TOLERANCE_PT));
                if beyond_paper {
                    found.push(text.text.to_string());
                }
            }
            _ => {}
        }
    }
}

/// How far anything on a page sticks out of the paper.
fn overflow_of_page(page: &Frame) -> Abs {
    overflow_of_area(page)
}

/// How far the content of `frame` reaches beyond the frame's own size.
fn overflow_of_area(frame: &Frame) -> Abs {
    let mut worst = Abs::zero();
    if let Some(bounds) = content_bounds(frame, Transform::identity(), &mut worst) {
        worst.set_max(beyond(bounds, frame.size()));
    }
    worst
}

/// The bounding box of everything drawn in `frame`, in the coordinates `ts` maps it to.
/// Clipping groups are checked on their own (their content must fit them) and count
/// with their clip area; `worst` collects what they lose.
fn content_bounds(frame: &Frame, ts: Transform, worst: &mut Abs) -> Option<Rect> {
    let mut bounds: Option<Rect> = None;
    let mut add = |rect: Rect| {
        bounds = Some(match bounds {
            Some(b) => Rect::new(b.min.min(rect.min), b.max.max(rect.max)),
            None => rect,
        });
    };
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let inner = ts.pre_concat(Transform::translate(pos.x, pos.y)).pre_concat(group.transform);
                if group.clip.is_some() {
                    worst.set_max(overflow_of_area(&group.frame));
                    add(transformed(Rect::new(Point::zero(), group.frame.size().to_point()), inner));
                } else if let Some(rect) = content_bounds(&group.frame, inner, worst) {
                    add(rect);
                }
            }
            other => {
                if let Some(rect) = leaf_bounds(*pos, other) {
                    add(transformed(rect, ts));
                }
            }
        }
    }
    bounds
}

/// Where a drawn item lies in its frame's coordinates; `None` for what draws nothing.
fn leaf_bounds(pos: Point, item: &FrameItem) -> Option<Rect> {
    let rect = match item {
        FrameItem::Text(text) => {
            // The baseline is at `pos`; glyphs reach about 0.9 em above and a quarter below.
            let min = Point::new(pos.x, pos.y - text.size * 0.9);
            Rect::new(min, Point::new(pos.x + text.width(), pos.y + text.size * 0.25))
        }
        FrameItem::Shape(shape, _) => {
            let rect = shape.bbox(false);
            Rect::new(rect.min + pos, rect.max + pos)
        }
        FrameItem::Image(_, size, _) => Rect::new(pos, pos + size.to_point()),
        FrameItem::Group(_) | FrameItem::Link(..) | FrameItem::Tag(_) => return None,
    };
    Some(rect)
}

/// A rectangle's bounding box after a transform.
fn transformed(rect: Rect, ts: Transform) -> Rect {
    let corners = [rect.min, Point::new(rect.max.x, rect.min.y), Point::new(rect.min.x, rect.max.y), rect.max]
        .map(|p| p.transform(ts));
    let min = corners.iter().fold(corners[0], |a, b| a.min(*b));
    let max = corners.iter().fold(corners[0], |a, b| a.max(*b));
    Rect::new(min, max)
}

/// How far `rect` reaches outside `0..size`.
fn beyond(rect: Rect, size: Size) -> Abs {
    [-rect.min.x, -rect.min.y, rect.max.x - size.x, rect.max.y - size.y].into_iter().fold(Abs::zero(), Abs::max)
}
