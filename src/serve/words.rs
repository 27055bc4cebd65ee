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

fn is_key(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
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
        } else if let Some((key, value)) = inner.split_once(": ").filter(|(k, _)| is_key(k)) {
            // A line to write (`money_unit: 万元`): the field by its label, and the value.
            out.push('“');
            out.push_str(describe(key.rsplit('.').next().unwrap_or(key)));
            out.push_str("”：");
            out.push_str(value.trim_end_matches(" …"));
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
    let out = without_keys(&out);
    out.replace("中添加一行“", "中填写“")
        .replace("” ", "”")
        .replace(" department.yaml ", "部门文件")
        .replace("department.yaml ", "部门文件")
        .replace("department.yaml", "部门文件")
        .replace("请删除这一行", "请删除这一项")
}

/// A key written beside its label (`fiscal（财政拨款）`, `“项目实施内容”（content）`) as
/// the label alone.
fn without_keys(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('（') {
        let Some(close) = rest[open..].find('）').map(|c| open + c) else { break };
        let inner = &rest[open + '（'.len_utf8()..close];
        let before = &rest[..open];
        let token_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
        let token = &before[token_start..];
        if is_key(inner) {
            // “label”（key）: the key goes.
            out.push_str(before);
        } else if is_key(token) && !token.chars().all(|c| c.is_ascii_digit()) {
            // key（label）: the label stands for it.
            out.push_str(before[..token_start].trim_end_matches(' '));
            out.push('“');
            out.push_str(inner);
            out.push('”');
        } else {
            out.push_str(&rest[..close + '）'.len_utf8()]);
        }
        rest = &rest[close + '）'.len_utf8()..];
    }
    out.push_str(rest);
    out
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
        assert_eq!(page_text("资金行 fiscal（财政拨款）没有写执行数（spent）"), "资金行“财政拨款”没有写执行数");
        assert_eq!(page_text("“项目实施内容”（content）应是日期"), "“项目实施内容”应是日期");
        assert_eq!(page_text("资金支出计划缺少“3 月底”（累计数，0–100）"), "资金支出计划缺少“3 月底”（累计数，0–100）");
        assert_eq!(page_text("共 100（万元）"), "共 100（万元）");
        assert_eq!(
            page_text("请在 department.yaml 中添加一行 `money_unit: 万元`"),
            "请在部门文件中填写“金额单位”：万元"
        );
        assert_eq!(page_text("`purpose` 应是一段文字"), "“项目资金主要用途”应是一段文字");
        assert_eq!(page_text("department.yaml 有错误"), "部门文件有错误");
        assert_eq!("９８．５％".chars().map(half_width).collect::<String>(), "98.5%");
    }
}
