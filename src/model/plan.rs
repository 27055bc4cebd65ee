//! 资金支出计划: a project's spending plan as written, keys normalised to months.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::model::Text;

/// 资金支出计划: the entries as written, keys as text. Keys are compared after
/// normalisation ([`SpendingPlan::month`]): `3`, `"3"` and `03` are one checkpoint, and
/// writing it twice is an error, never "the later wins".
#[derive(Debug, Clone, Default)]
pub struct SpendingPlan {
    /// `(key, value)` in file order.
    pub entries: Vec<(Text, Text)>,
    /// Keys written without a value (a blank project's `3:`): the shape check reports
    /// them as not filled in yet.
    pub blank: Vec<Text>,
}

impl SpendingPlan {
    /// The month a key names: one or two ASCII digits (leading zeros allowed), 1–12.
    pub fn month(key: &str) -> Option<u32> {
        let key = key.trim();
        let digits = key.trim_start_matches('0');
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 2 {
            return None;
        }
        digits.parse::<u32>().ok().filter(|m| (1..=12).contains(m))
    }

    /// The value written for `month` (the first, if it was written twice).
    pub fn get(&self, month: u32) -> Option<&Text> {
        self.entries.iter().find(|(k, _)| Self::month(&k.value) == Some(month)).map(|(_, v)| v)
    }
}

impl<'de> Deserialize<'de> for SpendingPlan {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = SpendingPlan;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SpendingPlan, A::Error> {
                let (mut entries, mut blank) = (Vec::new(), Vec::new());
                while let Some((key, value)) = map.next_entry::<Text, Option<Text>>()? {
                    match value {
                        Some(value) => entries.push((key, value)),
                        None => blank.push(key),
                    }
                }
                Ok(SpendingPlan { entries, blank })
            }
        }
        deserializer.deserialize_map(Entries)
    }
}
