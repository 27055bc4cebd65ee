//! A cell's text as printed (a tick box as ☑ or ☐) and how it is printed: font role,
//! size, weight, alignment.

use typst::foundations::{Content, SequenceElem, StyleChain, StyledElem};
use typst::introspection::MetadataElem;
use typst::layout::{AlignElem, BlockBody, BlockElem, BoxElem, HAlignment, HElem, VElem};
use typst::model::{ParbreakElem, StrongElem};
use typst::text::{LinebreakElem, SpaceElem, TextElem};

use crate::grid::{Align, Style};

/// A cell's text as printed, and the style of its first character.
#[derive(Default)]
pub(super) struct Text {
    pub(super) text: String,
    pub(super) style: Option<Style>,
}

impl Text {
    pub(super) fn content(&mut self, content: &Content, styles: StyleChain, bold: bool) {
        if let Some(sequence) = content.to_packed::<SequenceElem>() {
            for child in &sequence.children {
                self.content(child, styles, bold);
            }
        } else if let Some(styled) = content.to_packed::<StyledElem>() {
            self.content(&styled.child, styles.chain(&styled.styles), bold);
        } else if let Some(text) = content.to_packed::<TextElem>() {
            if self.style.is_none() {
                self.style = Some(style_of(styles, bold));
            }
            self.text.push_str(&text.text);
        } else if content.is::<SpaceElem>() {
            self.text.push(' ');
        } else if content.is::<HElem>() {
            self.text.push_str("  ");
        } else if content.is::<LinebreakElem>() || content.is::<ParbreakElem>() {
            self.text.push('\n');
        } else if let Some(strong) = content.to_packed::<StrongElem>() {
            self.content(&strong.body, styles, true);
        } else if let Some(align) = content.to_packed::<AlignElem>() {
            self.content(&align.body, styles, bold);
        } else if let Some(b) = content.to_packed::<BoxElem>() {
            // A small ruled box is a tick box: ☑ when it holds a tick, ☐ when empty.
            let mut inner = Text::default();
            if let Some(body) = b.body.get_ref(styles) {
                inner.content(body, styles, bold);
            }
            match inner.text.trim() {
                "√" | "✓" | "✔" => self.text.push('☑'),
                "" => self.text.push('☐'),
                other => self.text.push_str(other),
            }
        } else if let Some(block) = content.to_packed::<BlockElem>() {
            if let Some(BlockBody::Content(body)) = block.body.get_ref(styles) {
                if !self.text.is_empty() && !self.text.ends_with('\n') {
                    self.text.push('\n');
                }
                self.content(body, styles, bold);
            }
        } else if content.is::<MetadataElem>() || content.is::<VElem>() {
        } else {
            self.text.push_str(&content.plain_text());
        }
    }
}

/// How text is printed under `styles`.
pub(super) fn style_of(styles: StyleChain, bold: bool) -> Style {
    let font = typst::text::families(styles).next().map(|f| f.as_str().to_string()).unwrap_or_default();
    let size = styles.resolve(TextElem::size).to_pt();
    let heavy = styles.get(TextElem::weight).to_number() >= 600 || styles.get_ref(TextElem::stroke).is_some();
    Style { font, size: (size * 10.0).round() / 10.0, bold: bold || heavy, align: Align::Center, fill: None }
}

pub(super) fn horizontal(alignment: Option<HAlignment>, default: Align) -> Align {
    match alignment {
        Some(HAlignment::Left | HAlignment::Start) => Align::Left,
        Some(HAlignment::Right | HAlignment::End) => Align::Right,
        Some(HAlignment::Center) => Align::Center,
        None => default,
    }
}
