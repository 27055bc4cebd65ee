//! The page's words: a diagnostic as a clerk reads it in the editor, without YAML keys,
//! rule codes or file names. `check` speaks to someone looking at the file (`` `name`（名称）
//! 不能为空``, "请把文件改名为…", "`allow: [mixed-money-unit]`"); the page shows the field
//! by its label, and offers the fix it can make itself (accept a warning, rename the
//! project) as a button instead of an instruction to edit the file.

use crate::model::catalog::describe;

/// A full-width digit, percent sign or point as its half-width character; anything else
/// as it is.
pub fn half_width(c: char) -> char {
    match c {
        '０'..='９' | '％' | '．' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A message or hint in the page's words.
pub fn page_text(text: &str) -> String {
    let mut text = text.to_string();
    // "…；如确属有意，可在项目中写 `allow: [name]`": the page has a button for it.
    for cut in [
        "；如确属有意，可在项目中写 `allow:",
        "；如确属有意，可在 department.yaml 中写 `allow:",
        "可在项目中写 `allow:",
    ] {
        if let Some(at) = text.find(cut) {
            let end = text[at..].find("]`").map(|e| at + e + 2).unwrap_or(text.len());
            text.replace_range(at..end, "");
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    // `key`（label） → “label”; `key` → “its label”; `text: …` (a line to write) is kept
    // only as what it says.
    while let Some(start) = rest.find('`') {
        // Chinese quotes take no spaces around them.
        out.push_str(rest[..start].strip_suffix(' ').unwrap_or(&rest[..start]));
        let after = &rest[start + 1..];
        let Some(end) = after.find('`') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = &after[..end];
        rest = &after[end + 1..];
        if let Some(label) = rest.strip_prefix('（').and_then(|r| r.split_once('）')) {
            out.push('“');
            out.push_str(label.0);
            out.push('”');
            rest = label.1;
        } else if inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            out.push('“');
            out.push_str(describe(inner.rsplit('.').next().unwrap_or(inner)));
            out.push('”');
        } else {
            out.push('“');
            out.push_str(inner);
            out.push('”');
        }
    }
    out.push_str(rest);
    out.replace("” ", "”")
        .replace("department.yaml ", "部门文件")
        .replace("department.yaml", "部门文件")
        .replace("请删除这一行", "请删除这一项")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_become_labels_and_allow_lists_go() {
        assert_eq!(page_text("`name`（名称）不能为空"), "“名称”不能为空");
        assert_eq!(
            page_text("请统一写作“万元”；如确属有意，可在项目中写 `allow: [mixed-money-unit]`"),
            "请统一写作“万元”"
        );
        assert_eq!(page_text("资金行 fiscal 没有写执行数（spent）"), "资金行 fiscal 没有写执行数（spent）");
        assert_eq!(page_text("`purpose` 应是一段文字"), "“项目资金主要用途”应是一段文字");
        assert_eq!(page_text("department.yaml 有错误"), "部门文件有错误");
        assert_eq!("９８．５％".chars().map(half_width).collect::<String>(), "98.5%");
    }
}
