//! What an edit written whole must keep: the comments inside the text it replaces (else
//! the edit is refused), and the order of the keys the old value had (months in number
//! order).

use crate::spec::edit::Slot;
use crate::spec::edit::doc::Doc;
use crate::yaml::tree::{Node, Value};

/// A key that is a month number.
pub(super) fn month(key: &str) -> Option<u32> {
    key.parse().ok().filter(|_| Slot::of(key) == Slot::Month)
}

/// `target` with the entries of a map the old `node` also has in the old order (new ones
/// after them, months in number order), so that writing it whole does not reorder it.
pub(super) fn in_old_order(node: &Node, target: &Doc) -> Doc {
    let (Value::Map(old), Doc::Map(wanted)) = (&node.value, target) else { return target.clone() };
    let mut entries = wanted.clone();
    let place = |key: &str| old.iter().position(|(k, _)| k.value == key).unwrap_or(usize::MAX);
    entries.sort_by_key(|(key, _)| (place(key), month(key)));
    Doc::Map(entries)
}

/// Whether YAML text holds a comment: a `#` at the start or after a space, outside quotes.
pub(super) fn has_comment(text: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if previous.is_whitespace() || "[{,:".contains(previous) => quote = Some(c),
            (None, '#') if previous.is_whitespace() => return true,
            _ => {}
        }
        previous = c;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::has_comment;
    use crate::spec::edit::tests::{at, doc, text};
    use crate::spec::edit::{Doc, EditError, apply};

    #[test]
    fn a_flow_collection_is_written_again_in_flow_style_in_its_own_order() {
        let old = "code: '131003001'\nspending_plan: {3: 10, 6: 50, 9: 80, 12: 100} # 按季度\n";
        let mut d = doc(old);
        // An editor sends the months in another order, one of them changed.
        let Doc::Map(entries) = at(&mut d, "spending_plan") else { panic!() };
        entries.reverse();
        entries.iter_mut().find(|(k, _)| k == "6").unwrap().1 = text("60");
        let new = apply(old, &d).unwrap();
        assert_eq!(new, "code: '131003001'\nspending_plan: {3: 10, 6: 60, 9: 80, 12: 100} # 按季度\n");
    }

    #[test]
    fn a_comment_inside_a_collection_written_anew_refuses_the_edit() {
        let old = "code: '131003001'\nspending_plan: {3: 10, # 一季度\n  6: 50, 9: 80, 12: 100}\n";
        let mut d = doc(old);
        let Doc::Map(entries) = at(&mut d, "spending_plan") else { panic!() };
        entries.iter_mut().find(|(k, _)| k == "6").unwrap().1 = text("60");
        assert_eq!(apply(old, &d), Err(EditError::NotKept), "the comment would be lost");
        // Emptied: the comment goes with the months, as with a deleted item.
        let Doc::Map(entries) = at(&mut d, "spending_plan") else { panic!() };
        entries.clear();
        assert!(apply(old, &d).is_ok());
    }

    #[test]
    fn a_new_month_goes_in_its_place_whatever_order_it_comes_in() {
        let old = "spending_plan:\n  3: 10\n  9: 80\n  12: 100\n";
        let mut d = doc(old);
        let Doc::Map(entries) = at(&mut d, "spending_plan") else { panic!() };
        entries.insert(0, ("6".to_string(), text("50")));
        let new = apply(old, &d).unwrap();
        assert_eq!(new, "spending_plan:\n  3: 10\n  6: 50\n  9: 80\n  12: 100\n");
    }

    #[test]
    fn comments_are_found_outside_quotes_only() {
        assert!(has_comment("{3: 10, # 一季度\n 6: 50}"));
        assert!(!has_comment("{a: \"x # y\", b: 'p # q'}"));
        assert!(!has_comment("{a: x#y}"));
    }
}
