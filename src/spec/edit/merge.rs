//! Three-way merge of an editor's document with the file as it is now on disk: what the
//! editor changed and what changed on disk since it loaded the file are both kept when
//! they touch different fields; a field changed on both sides differently is a
//! [`Conflict`] until someone picks a side for it ([`Side`]).
//!
//! Lists are merged item by item while neither side added, removed or moved items;
//! when one side restructured a list and the other did not touch it, that side's list is
//! taken whole; when both did, the list is one conflict.

use serde::Serialize;

use super::doc::{Doc, Item, Step};

/// Which version of a field to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The editor's.
    Mine,
    /// The file's as it is now.
    Theirs,
}

/// A field both sides changed differently.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    /// Where it is.
    pub path: Vec<Step>,
    /// As loaded (`None`: not there).
    pub base: Option<Doc>,
    /// As the editor has it.
    pub mine: Option<Doc>,
    /// As the file has it now.
    pub theirs: Option<Doc>,
}

/// The merge of `mine` and `theirs`, both made from `base`; `choose` settles conflicts
/// (by path) that someone has decided. Items of lists in the result carry their index in
/// `theirs`' file, so the result can be written into that file's text.
pub fn merge(base: &Doc, mine: &Doc, theirs: &Doc, choose: &dyn Fn(&[Step]) -> Option<Side>) -> (Doc, Vec<Conflict>) {
    let mut conflicts = Vec::new();
    let mut path = Vec::new();
    let merged = value(Some(base), Some(mine), Some(theirs), &mut path, choose, &mut conflicts);
    (merged.unwrap_or(Doc::Null), conflicts)
}

fn get<'d>(entries: &'d [(String, Doc)], key: &str) -> Option<&'d Doc> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn same(a: Option<&Doc>, b: Option<&Doc>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.same(b),
        _ => false,
    }
}

fn value(
    base: Option<&Doc>,
    mine: Option<&Doc>,
    theirs: Option<&Doc>,
    path: &mut Vec<Step>,
    choose: &dyn Fn(&[Step]) -> Option<Side>,
    conflicts: &mut Vec<Conflict>,
) -> Option<Doc> {
    if same(mine, base) || same(mine, theirs) {
        return theirs.cloned();
    }
    if same(theirs, base) {
        // Only the editor changed it: its list items name places in the loaded file,
        // which holds the same content as the file now, item for item.
        return mine.cloned();
    }
    match (base, mine, theirs) {
        (Some(Doc::Map(b)), Some(Doc::Map(m)), Some(Doc::Map(t))) => {
            let mut keys: Vec<&String> = t.iter().map(|(k, _)| k).collect();
            for (k, _) in m {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            let mut out = Vec::new();
            for key in keys {
                path.push(Step::Key(key.clone()));
                if let Some(v) = value(get(b, key), get(m, key), get(t, key), path, choose, conflicts) {
                    out.push((key.clone(), v));
                }
                path.pop();
            }
            Some(Doc::Map(out))
        }
        (Some(Doc::List(b)), Some(Doc::List(m)), Some(Doc::List(t)))
            if b.len() == m.len()
                && b.len() == t.len()
                && m.iter().enumerate().all(|(i, item)| item.from == Some(i)) =>
        {
            let mut out = Vec::new();
            for i in 0..b.len() {
                path.push(Step::Index(i));
                if let Some(v) = value(Some(&b[i].value), Some(&m[i].value), Some(&t[i].value), path, choose, conflicts)
                {
                    out.push(Item { from: t[i].from, value: v });
                }
                path.pop();
            }
            Some(Doc::List(out))
        }
        _ => match choose(path) {
            Some(Side::Mine) => mine.cloned().map(renumber),
            Some(Side::Theirs) => theirs.cloned(),
            None => {
                conflicts.push(Conflict {
                    path: path.clone(),
                    base: base.cloned(),
                    mine: mine.cloned(),
                    theirs: theirs.cloned(),
                });
                theirs.cloned()
            }
        },
    }
}

/// The editor's value chosen over a file that changed: its list items cannot name places
/// in the file now, so they are written as new.
fn renumber(doc: Doc) -> Doc {
    match doc {
        Doc::List(items) => {
            Doc::List(items.into_iter().map(|i| Item { from: None, value: renumber(i.value) }).collect())
        }
        Doc::Map(entries) => Doc::Map(entries.into_iter().map(|(k, v)| (k, renumber(v))).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Doc {
        let node = crate::yaml::parse::<crate::yaml::tree::Node>(std::path::Path::new("t"), text).unwrap();
        Doc::from_tree(text, &node)
    }

    #[test]
    fn different_fields_merge_and_the_same_field_is_a_conflict() {
        let base = doc("name: 甲\ngoal: 一\nindicators:\n  - name: 甲\n    value: 1\n  - name: 乙\n    value: 2\n");
        let mine = doc("name: 甲改\ngoal: 一\nindicators:\n  - name: 甲\n    value: 1\n  - name: 乙\n    value: 3\n");
        let theirs = doc("name: 甲\ngoal: 二\nindicators:\n  - name: 甲\n    value: 5\n  - name: 乙\n    value: 2\n");
        let (merged, conflicts) = merge(&base, &mine, &theirs, &|_| None);
        assert!(conflicts.is_empty());
        let want = doc("name: 甲改\ngoal: 二\nindicators:\n  - name: 甲\n    value: 5\n  - name: 乙\n    value: 3\n");
        assert!(merged.same(&want), "{merged:?}");

        let theirs = doc("name: 丙\ngoal: 一\nindicators:\n  - name: 甲\n    value: 1\n  - name: 乙\n    value: 2\n");
        let (merged, conflicts) = merge(&base, &mine, &theirs, &|_| None);
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].path, vec![Step::Key("name".into())]);
        assert_eq!(merged.get("name"), Some(&Doc::Text("丙".into())), "theirs until chosen");
        let (merged, conflicts) = merge(&base, &mine, &theirs, &|_| Some(Side::Mine));
        assert!(conflicts.is_empty());
        assert_eq!(merged.get("name"), Some(&Doc::Text("甲改".into())));
    }

    #[test]
    fn a_list_restructured_on_one_side_is_taken_whole() {
        let base = doc("goal: 一\nlist:\n  - a\n  - b\n");
        let mine = Doc::Map(vec![
            ("goal".into(), Doc::Text("一".into())),
            ("list".into(), Doc::List(vec![Item { from: Some(1), value: Doc::Text("b".into()) }])),
        ]);
        let theirs = doc("goal: 二\nlist:\n  - a\n  - b\n");
        let (merged, conflicts) = merge(&base, &mine, &theirs, &|_| None);
        assert!(conflicts.is_empty());
        let text = super::super::apply("goal: 二\nlist:\n  - a\n  - b\n", &merged).unwrap();
        assert_eq!(text, "goal: 二\nlist:\n  - b\n");
    }
}
