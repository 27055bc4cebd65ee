//! Font family names as people write them.
//!
//! Typst knows a face by one family name (the English one from the `name` table), so
//! `仿宋_GB2312` in a setting would not find the font Windows installs as
//! `FangSong_GB2312`. Here a face is known by every family name its `name` table holds,
//! in every language, and by the usual aliases of the official fonts; names are compared
//! without case, spaces, `_` and `-`.

/// Official Chinese font names and the English family names their files carry (and the
/// other way round). Used when a face's `name` table lacks the localised name.
const ALIASES: &[(&str, &[&str])] = &[
    ("仿宋_GB2312", &["FangSong_GB2312"]),
    ("楷体_GB2312", &["KaiTi_GB2312"]),
    ("仿宋", &["FangSong", "STFangsong", "华文仿宋"]),
    ("楷体", &["KaiTi", "STKaiti", "华文楷体"]),
    ("黑体", &["SimHei", "STHeiti", "华文黑体"]),
    ("宋体", &["SimSun", "STSong", "华文宋体"]),
    ("方正小标宋简体", &["FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05"]),
    ("方正仿宋简体", &["FZFangSong-Z02S"]),
    ("方正楷体简体", &["FZKai-Z03S"]),
    ("方正黑体简体", &["FZHei-B01S"]),
];

/// A name reduced for comparison: lower case, without spaces, `_` and `-`.
pub fn normalize(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
}

/// The names that `name` may stand for: itself and its aliases (both directions).
pub fn candidates(name: &str) -> Vec<String> {
    let wanted = normalize(name);
    let mut out = vec![wanted.clone()];
    for (official, others) in ALIASES {
        let group: Vec<String> = std::iter::once(*official).chain(others.iter().copied()).map(normalize).collect();
        if group.contains(&wanted) {
            out.extend(group.into_iter().filter(|n| *n != wanted));
        }
    }
    out
}

/// Every family name in the `name` table of face `index` of `data` (typographic and
/// legacy family, every platform and language that decodes), without duplicates.
pub fn family_names(data: &[u8], index: u32) -> Vec<String> {
    let Ok(face) = ttf_parser::Face::parse(data, index) else { return Vec::new() };
    let mut names: Vec<String> = Vec::new();
    for name in face.names() {
        let is_family =
            name.name_id == ttf_parser::name_id::TYPOGRAPHIC_FAMILY || name.name_id == ttf_parser::name_id::FAMILY;
        if let Some(text) = name.to_string().filter(|_| is_family)
            && !text.trim().is_empty()
            && !names.contains(&text)
        {
            names.push(text);
        }
    }
    names
}

/// Whether `written` (as a user wrote it) names a face known by `names`.
pub fn matches(written: &[String], names: &[String]) -> bool {
    names.iter().any(|n| written.contains(&normalize(n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_as_people_write_them() {
        assert_eq!(normalize("FangSong_GB2312"), "fangsonggb2312");
        assert_eq!(normalize("Noto Serif CJK SC"), normalize("noto-serif-cjk-sc"));
        let fangsong = candidates("仿宋_GB2312");
        assert!(matches(&fangsong, &["FangSong_GB2312".into()]));
        assert!(matches(&candidates("FangSong_GB2312"), &["仿宋_GB2312".into()]));
        // 仿宋 and 仿宋_GB2312 are different fonts.
        assert!(!matches(&fangsong, &["FangSong".into(), "仿宋".into()]));
        assert!(matches(&candidates("方正小标宋简体"), &["FZXiaoBiaoSong-B05S".into()]));
    }

    #[test]
    fn reads_every_family_name() {
        let data = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/NotoSansCJKsc-Regular.otf")).unwrap();
        let names = family_names(&data, 0);
        assert!(names.iter().any(|n| n == "Noto Sans CJK SC"), "{names:?}");
    }
}
