//! A spec file's content as an editor holds it ([`Doc`]): maps in file order, texts as
//! written, and each list item marked with the index it had in the file it came from
//! (`from`), so that an edited document can be written back into that file's text with
//! every moved item carrying its own comments and formatting (see [`super::apply`]).
//!
//! On the wire (JSON) a map is an object (in order), a text a string, nothing `null`,
//! and a list an array of `{"from": n | null, "value": …}`.

use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::yaml::span_of;
use crate::yaml::tree::{Node, Value};

/// A value of a spec as an editor holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Doc {
    /// Nothing written (`key:` alone).
    Null,
    /// A text (numbers too, as written).
    Text(String),
    /// `- item` lines.
    List(Vec<Item>),
    /// `key: value` pairs in order.
    Map(Vec<(String, Doc)>),
}

/// One item of a list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Item {
    /// Its index in the file the editor loaded; `None` for an item added since.
    pub from: Option<usize>,
    /// Its value.
    pub value: Doc,
}

/// One step of a path into a document: a key of a map or an index of a list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Step {
    /// A map's key.
    Key(String),
    /// A list's index.
    Index(usize),
}

impl Doc {
    /// The document of a parsed file: plain scalars as written in `text` (so `1.50`
    /// stays `1.50`), other scalars as read.
    pub fn from_tree(text: &str, node: &Node) -> Doc {
        match &node.value {
            Value::Null => Doc::Null,
            Value::Scalar(value) => Doc::Text(written(text, node).unwrap_or(value).to_string()),
            Value::List(items) => Doc::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| Item { from: Some(i), value: Doc::from_tree(text, item) })
                    .collect(),
            ),
            Value::Map(entries) => {
                Doc::Map(entries.iter().map(|(k, v)| (k.value.clone(), Doc::from_tree(text, v))).collect())
            }
        }
    }

    /// The value at `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Doc> {
        match self {
            Doc::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Whether two documents hold the same content (list origins and the order of a
    /// map's keys aside).
    pub fn same(&self, other: &Doc) -> bool {
        match (self, other) {
            (Doc::Null, Doc::Null) => true,
            (Doc::Text(a), Doc::Text(b)) => a == b,
            (Doc::List(a), Doc::List(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.value.same(&y.value)),
            // Keys keep their place in the file whatever order an editor sends them in.
            (Doc::Map(a), Doc::Map(b)) => {
                a.len() == b.len() && a.iter().all(|(k, va)| b.iter().any(|(kb, vb)| kb == k && va.same(vb)))
            }
            _ => false,
        }
    }
}

/// The text of a plain scalar as written (`None` for quoted and block scalars).
pub fn written<'t>(text: &'t str, node: &Node) -> Option<&'t str> {
    let span = span_of(text, node);
    let raw = text.get(span)?;
    let raw = raw.trim_end();
    let plain = !raw.starts_with(['"', '\'']) && !raw.contains('\n') && !block_header_before(text, node);
    plain.then_some(raw)
}

/// Whether a scalar is a block scalar (`|` or `>` before its first line).
pub fn block_header_before(text: &str, node: &Node) -> bool {
    let start = span_of(text, node).start;
    let before = text[..start].trim_end_matches([' ', '\n']);
    let header = before.rsplit(['\n', ' ']).next().unwrap_or("");
    header.starts_with(['|', '>'])
        && header[1..].chars().all(|c| matches!(c, '-' | '+' | '1'..='9'))
        && text[before.len()..start].contains('\n')
}

/// Every key and scalar of a parsed file with its byte range and path, for finding the
/// field a diagnostic points at ([`field_at`]).
pub fn locations(text: &str, node: &Node) -> Vec<(Range<usize>, Vec<Step>)> {
    let mut out = Vec::new();
    walk(text, node, &mut Vec::new(), &mut out);
    out
}

fn walk(text: &str, node: &Node, path: &mut Vec<Step>, out: &mut Vec<(Range<usize>, Vec<Step>)>) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                path.push(Step::Key(key.value.clone()));
                out.push((span_of(text, key), path.clone()));
                walk(text, value, path, out);
                path.pop();
            }
        }
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                out.push((span_of(text, item), path.clone()));
                walk(text, item, path, out);
                path.pop();
            }
        }
        Value::Scalar(_) | Value::Null => out.push((span_of(text, node), path.clone())),
    }
}

/// The path of the narrowest key or scalar whose range holds `at` (the start of a
/// diagnostic's span); `None` when it points at none (e.g. the end of the file).
pub fn field_at(locations: &[(Range<usize>, Vec<Step>)], at: usize) -> Option<Vec<Step>> {
    locations
        .iter()
        .filter(|(range, _)| range.start <= at && at < range.end.max(range.start + 1))
        .min_by_key(|(range, path)| (range.len(), std::cmp::Reverse(path.len())))
        .map(|(_, path)| path.clone())
}

impl Serialize for Doc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Doc::Null => serializer.serialize_unit(),
            Doc::Text(text) => serializer.serialize_str(text),
            Doc::List(items) => items.serialize(serializer),
            Doc::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

struct DocVisitor;

impl<'de> Visitor<'de> for DocVisitor {
    type Value = Doc;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("null, a string, a list of {from, value} or an object")
    }

    fn visit_unit<E>(self) -> Result<Doc, E> {
        Ok(Doc::Null)
    }

    fn visit_none<E>(self) -> Result<Doc, E> {
        Ok(Doc::Null)
    }

    fn visit_str<E>(self, v: &str) -> Result<Doc, E> {
        Ok(Doc::Text(v.to_string()))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Doc, E> {
        Ok(Doc::Text(v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Doc, E> {
        Ok(Doc::Text(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Doc, E> {
        Ok(Doc::Text(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Doc, E> {
        Ok(Doc::Text(v.to_string()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Doc, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Item>()? {
            items.push(item);
        }
        Ok(Doc::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
        let mut entries: Vec<(String, Doc)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(de::Error::custom(format!("duplicate key {key}")));
            }
            let value = map.next_value::<Doc>()?;
            entries.push((key, value));
        }
        Ok(Doc::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Doc, D::Error> {
        deserializer.deserialize_any(DocVisitor)
    }
}
