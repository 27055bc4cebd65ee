//! Rules on every text field: required texts are not blank, no control characters, and
//! every character is covered by a font (Typst would silently print a box otherwise).

use crate::diag::rules;
use crate::model::Text;
use crate::model::catalog as fields;
use crate::validate::{FileCheck, Glyphs};

/// Checks one text field; `required` texts must not be blank.
pub fn check(file: &mut FileCheck, key: &str, text: &Text, required: bool, fonts: Option<&dyn Glyphs>) {
    let value = &text.value;
    if required && value.trim().is_empty() {
        file.report(&rules::E0104, text, format!("`{key}`（{}）不能为空", fields::describe(key)))
            .set_hint("请填写内容");
        return;
    }
    let refused = |c: char| (c.is_control() && !matches!(c, '\n' | '\t')) || is_bidi_control(c) || is_separator(c);
    if let Some(c) = value.chars().find(|c| refused(*c)) {
        let what = match c {
            _ if is_bidi_control(c) => "文字方向控制符",
            _ if is_separator(c) => "不可见的换行符（行分隔符或段分隔符）",
            _ => "控制字符",
        };
        file.report(
            &rules::E0316,
            text,
            format!("`{key}`（{}）中含有{what} U+{:04X}", fields::describe(key), c as u32),
        )
        .set_hint("这类不可见字符多来自从网页或 Word 复制粘贴；请删除后重新输入该处文字");
        return;
    }
    if let Some(fonts) = fonts {
        let mut missing: Vec<char> = Vec::new();
        for c in value.chars().filter(|c| !c.is_whitespace() && !is_ignorable(*c) && !fonts.covers(*c)) {
            if !missing.contains(&c) {
                missing.push(c);
            }
        }
        if let Some(first) = missing.first() {
            let list = missing.iter().map(|c| format!("“{c}”（U+{:04X}）", *c as u32)).collect::<Vec<_>>().join("、");
            file.report(
                &rules::E0317,
                text,
                format!("`{key}`（{}）中的 {list} 没有字体可以显示", fields::describe(key)),
            )
            .set_label(format!("PDF 中“{first}”会变成方框"))
            .set_hint(format!(
                "已尝试的字体：{}。可换用常用字，或用 --font-path 指定含有此字的字体目录",
                fonts.family_names().join("、")
            ));
        }
    }
}

/// The Unicode line and paragraph separators (U+2028, U+2029): line breaks a table cell
/// does not measure as one (the row is laid out shorter than it prints), invisible in an
/// editor, pasted from Word or a web page. A spec writes a line break as a new line.
pub fn is_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// Bidirectional formatting characters: they reorder what is printed around them
/// (a right-to-left override shows `1.` as `.1`), so spec text may not contain them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c as u32, 0x061C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069)
}

/// Default-ignorable characters (zero-width and direction marks, variation selectors):
/// they draw nothing, so no font needs a glyph for them.
pub fn is_ignorable(c: char) -> bool {
    matches!(c as u32, 0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}
