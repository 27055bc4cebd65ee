//! A spec's texts: each with its place in the file, trimmed once when it is read.

use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

/// A piece of text with its position in the spec file, trimmed once when it is read
/// (leading and trailing whitespace never prints, and nothing compares it).
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The text, trimmed.
    pub value: String,
    /// Where the value is written.
    pub referenced: Location,
    /// Where it is defined (an anchor's place, for an alias).
    pub defined: Location,
}

impl Text {
    /// A text read at a place, trimmed.
    pub fn new(value: &str, referenced: Location, defined: Location) -> Text {
        Text { value: value.trim().to_string(), referenced, defined }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let read = Spanned::<String>::deserialize(deserializer)?;
        Ok(Text::new(&read.value, read.referenced, read.defined))
    }
}

/// Something read with a place in its file: a [`Text`] or any spanned value.
pub trait Located {
    /// Where it is written.
    fn location(&self) -> &Location;
}

impl Located for Text {
    fn location(&self) -> &Location {
        &self.referenced
    }
}

impl<L: Located> Located for &L {
    fn location(&self) -> &Location {
        (**self).location()
    }
}

impl<T> Located for Spanned<T> {
    fn location(&self) -> &Location {
        &self.referenced
    }
}

/// A text the file does not write (a field the form does not require): empty, at no place.
pub fn unwritten() -> Text {
    Text::new("", Location::UNKNOWN, Location::UNKNOWN)
}
