//! YAML problems as located Chinese diagnostics: the parser's errors translated, a key
//! the place does not have (E0103) with the closest known one.

use std::ops::Range;
use std::path::Path;

use serde_saphyr::Error as YamlError;

use crate::diag::{Diagnostic, Rule, rules};
use crate::model::catalog;
use crate::suggest;

use super::location_range;

/// A parser error of `text` as a diagnostic.
pub(crate) fn yaml_error(path: &Path, text: &str, error: &YamlError) -> Diagnostic {
    let error = error.without_snippet();
    let span = error.location().filter(|l| l.line() > 0).map(|l| location_range(text, &l));
    // An error met while replaying an alias is reported at the alias, for its cause.
    let mut error = error;
    while let YamlError::AliasError { error: inner, .. } = error {
        error = inner.without_snippet();
    }
    let diag = |rule: &'static Rule, message: String| Diagnostic::new(rule, path, span.clone(), message);
    match error {
        YamlError::SerdeUnknownField { field, expected, .. } => unknown_key(path, span.clone(), field, expected),
        YamlError::SerdeMissingField { field, .. } => {
            diag(&rules::E0104, format!("缺少必填字段 `{field}`（{}）", catalog::describe(field)))
                .with_hint(format!("请在此处添加一行 `{field}: …`"))
        }
        YamlError::NullIntoString { .. } => {
            diag(&rules::E0104, "此字段的值是空的".into()).with_hint("请填写内容；确实没有内容时请删除这一行")
        }
        YamlError::DuplicateMappingKey { key, .. } => {
            diag(&rules::E0105, format!("重复的键 `{}`", key.as_deref().unwrap_or("?")))
                .with_hint("同一个键只能出现一次；请删除或合并重复的行")
        }
        YamlError::SerdeInvalidType { unexpected, expected, .. } => {
            diag(&rules::E0102, format!("类型不对：这里应是{}，实际是{}", kind_zh(expected), kind_zh(unexpected)))
        }
        YamlError::Unexpected { expected, .. } => {
            diag(&rules::E0102, format!("类型不对：这里应是{}", kind_zh(expected)))
        }
        YamlError::InvalidScalar { ty, .. } => diag(&rules::E0102, format!("类型不对：这里应是{}", kind_zh(ty))),
        YamlError::SerdeInvalidValue { unexpected, expected, .. } => {
            diag(&rules::E0102, format!("值不对：这里应是{}，实际是{}", kind_zh(expected), kind_zh(unexpected)))
        }
        YamlError::Budget { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => {
            diag(&rules::E0106, "YAML 结构过深或别名展开过多，已拒绝读取".into())
                .with_hint("规格文件不需要锚点（&）和别名（*），嵌套也不应超过几层；请检查文件是否被误改")
        }
        YamlError::InvalidUtf8Input => diag(&rules::E0107, "文件不是 UTF-8 编码".into()),
        YamlError::MultipleDocuments { .. } => {
            diag(&rules::E0101, "文件中有多个 YAML 文档（`---`）".into()).with_hint("每个文件只写一个项目")
        }
        other => {
            let english = other.render();
            if english.contains("recursion limit") {
                return diag(&rules::E0106, "YAML 嵌套过深，已拒绝读取".into())
                    .with_hint("规格文件的嵌套不应超过几层；请检查文件是否被误改");
            }
            if english.contains("!!binary") {
                return diag(&rules::E0102, "`!!binary` 标记的内容不是文字".into())
                    .with_hint("规格中的文字请直接书写，不要加 !!binary 标记");
            }
            if let Some(d) = misplaced_blank(path, text, span.as_ref()) {
                return d;
            }
            let (message, hint) = syntax_zh(&english);
            let mut d = diag(&rules::E0101, format!("YAML 格式错误：{message}")).with_hint(hint);
            let line = span.as_ref().map(|s| line_at(text, s.start)).unwrap_or_default();
            if line.contains('：') && !line.contains(": ") {
                d = d.with_hint("这一行的冒号是全角的“：”；键后面的冒号必须是半角的“:”，并且后面跟一个空格");
            }
            d
        }
    }
}

/// The line of `text` that holds byte `at`.
fn line_at(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

/// A syntax error caused by a tab or a full-width space (U+3000) in the indentation of
/// the line the parser stopped at, or of the line before or after it (the parser often
/// notices one line late): located at that character and explained.
fn misplaced_blank(path: &Path, text: &str, span: Option<&Range<usize>>) -> Option<Diagnostic> {
    let at = span?.start.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let previous = text[..line_start.saturating_sub(1)].rfind('\n').map_or(0, |i| i + 1);
    let mut offset = previous;
    for line in text[previous..].split_inclusive('\n').take(3) {
        let indent = line.char_indices().take_while(|(_, c)| matches!(c, ' ' | '\t' | '\u{3000}'));
        for (i, c) in indent {
            let at = offset + i;
            let located = |message: &str, hint: &str| {
                Diagnostic::new(&rules::E0101, path, Some(at..at + c.len_utf8()), message.to_string())
                    .with_hint(hint.to_string())
            };
            match c {
                '\u{3000}' => {
                    return Some(located(
                        "行首有全角空格（U+3000），YAML 的缩进只能用半角空格",
                        "请把行首的全角空格换成半角空格（中文输入法下可按 Shift+空格 切换全角/半角）",
                    ));
                }
                '\t' => {
                    return Some(located(
                        "行首有 Tab 字符，YAML 的缩进只能用空格",
                        "请把这一行开头的 Tab 换成空格（每级两个空格），与同级的行对齐",
                    ));
                }
                _ => {}
            }
        }
        offset += line.len();
    }
    None
}

/// Chinese for the YAML parser's syntax messages (the position is shown separately).
fn syntax_zh(message: &str) -> (String, &'static str) {
    let english = message.split(" at line ").next().unwrap_or(message).trim();
    let known: &[(&str, &str, &str)] = &[
        ("unclosed quote", "引号没有闭合", "在这段文字的末尾补上对应的引号"),
        ("simple key expected", "这一行缺少冒号，或冒号后缺少空格", "每一行应写成“键: 值”，冒号后要有一个空格"),
        (
            "mapping values are not allowed",
            "此处不能出现“键: 值”",
            "多半是缩进与上一行不一致；如果文字本身含有“: ”，请把整段文字用引号括起来",
        ),
        ("illegal placement of ':'", "冒号的位置不对", "含有冒号、方括号或花括号的文字请用引号括起来"),
        ("tabs disallowed", "不能用 Tab 键缩进", "请把行首的 Tab 换成空格（每级两个空格）"),
        ("invalid indentation", "缩进不对", "同一层级的键要对齐；列表项以“- ”开头并比上一级多缩进两个空格"),
        ("did not find expected", "缩进不一致或缺少内容", "请检查这一行和上一行的缩进"),
        ("cannot start any token", "这里有不能作为开头的字符", "以 @、`、% 等符号开头的文字请用引号括起来"),
        ("escape", "双引号中的反斜杠转义无效", "文字中的反斜杠 \\ 请写成 \\\\，或改用单引号"),
        ("unexpected end", "文件意外结束", "文件可能不完整，请检查最后几行"),
        ("end of stream", "文件意外结束", "文件可能不完整，请检查最后几行"),
        (
            "tag",
            "这里有 YAML 类型标记（以 !! 或 ! 开头）",
            "规格文件中不用类型标记；请删去 !!int、!!str 之类的写法，只写值本身",
        ),
        ("anchor", "锚点或别名（& 或 *）用得不对", "规格文件中不用锚点和别名；请把内容直接写出来"),
        ("alias", "锚点或别名（& 或 *）用得不对", "规格文件中不用锚点和别名；请把内容直接写出来"),
        ("duplicate", "同一个键写了两次", "请删去重复的一行"),
        ("recursion", "嵌套层数太多", "规格文件不需要这么深的嵌套；请检查缩进"),
        ("budget", "文件中的内容过多或嵌套过深", "请检查是否误粘贴了大量内容"),
    ];
    match known.iter().find(|(key, _, _)| english.contains(key)) {
        Some((_, zh, hint)) => ((*zh).to_string(), *hint),
        // What the YAML reader said is English: named as such, after a Chinese sentence.
        None => (
            format!("无法解析这一处（YAML 读取程序的英文原话：{english}）"),
            "常见原因：缩进不一致、冒号后缺少空格、引号未闭合",
        ),
    }
}

/// Chinese for the type names serde and saphyr print.
fn kind_zh(kind: &str) -> String {
    let k = kind.trim_start_matches("a ").trim_start_matches("an ");
    let zh = if k.contains("sequence") {
        "列表（以 `- ` 开头的若干行）"
    } else if k.contains("map") || k.starts_with("struct") {
        "键值对（`键: 值`）"
    } else if k.contains("string") || k.contains("scalar") || k == "str" {
        "文字"
    } else if k.contains("u32") || k.contains("integer") || k.contains("u64") || k.contains("i64") {
        "整数"
    } else if k.contains("bool") {
        "是/否（true/false）"
    } else if k.contains("float") || k.contains("f64") {
        "数字"
    } else {
        return format!("`{kind}`");
    };
    zh.to_string()
}

/// E0103 for `field` among `expected` keys.
pub fn unknown_key(path: &Path, span: Option<std::ops::Range<usize>>, field: &str, expected: &[&str]) -> Diagnostic {
    let expected: Vec<(&str, &str)> = expected.iter().map(|k| (*k, catalog::describe(k))).collect();
    unknown_among(path, span, field, &expected)
}

/// E0103 for `field` among `expected` (key, label) pairs. A spec key that this place
/// does not have (a field another form has) is said to be not on this form.
pub fn unknown_among(
    path: &Path,
    span: Option<std::ops::Range<usize>>,
    field: &str,
    expected: &[(&str, &str)],
) -> Diagnostic {
    // A built-in field that some forms have and this one does not.
    let known_elsewhere = catalog::is_builtin(field) && !expected.iter().any(|(k, _)| *k == field);
    let d = match suggest::closest(field, expected.iter().map(|(k, _)| *k)) {
        Some(best) if !known_elsewhere => {
            let label = expected.iter().find(|(k, _)| *k == best).map(|(_, l)| *l).unwrap_or_default();
            let guess = format!("您是不是想写 `{best}`（{label}）？");
            Diagnostic::new(&rules::E0103, path, span, format!("未知字段 `{field}`，{guess}"))
                .with_label("没有这个字段")
        }
        _ if known_elsewhere => Diagnostic::new(
            &rules::E0103,
            path,
            span,
            format!("此处没有字段 `{field}`（{}）：本表样没有这一栏", catalog::describe(field)),
        )
        .with_label("本表样没有这一栏"),
        _ => Diagnostic::new(&rules::E0103, path, span, format!("未知字段 `{field}`")).with_label("此处不能使用该字段"),
    };
    d.with_hint(format!(
        "此处可用的字段：{}",
        expected.iter().map(|(k, l)| format!("{k}（{l}）")).collect::<Vec<_>>().join("、")
    ))
}
